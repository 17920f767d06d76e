#include "pg_array.hpp"

namespace chatd::store::detail {

std::string pg_array_literal(std::span<std::string_view const> values) {
  std::string out = "{";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) {
      out += ',';
    }
    out += '"';
    for (char c : values[i]) {
      if (c == '"' || c == '\\') {
        out += '\\';
      }
      out += c;
    }
    out += '"';
  }
  out += '}';
  return out;
}

}  // namespace chatd::store::detail
