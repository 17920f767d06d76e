#include <chatd/metrics/text_format.hpp>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <exception>
#include <system_error>

namespace chatd::metrics::text_format {

namespace {

bool is_letter(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

// Doubles below 2^53 in magnitude that have no fraction convert to int64 exactly.
constexpr double exact_integer_limit = 9007199254740992.0;

}  // namespace

bool is_valid_metric_name(std::string_view name) noexcept {
  if (name.empty() || is_digit(name.front())) {
    return false;
  }
  for (char c : name) {
    if (!is_letter(c) && !is_digit(c) && c != '_' && c != ':') {
      return false;
    }
  }
  return true;
}

bool is_valid_label_name(std::string_view name) noexcept {
  if (name.empty() || is_digit(name.front()) || name.starts_with("__")) {
    return false;
  }
  for (char c : name) {
    if (!is_letter(c) && !is_digit(c) && c != '_') {
      return false;
    }
  }
  return true;
}

bool is_valid_utf8(std::string_view text) noexcept {
  std::size_t i = 0;
  while (i < text.size()) {
    auto const lead = static_cast<unsigned char>(text[i]);
    if (lead < 0x80) {
      ++i;
      continue;
    }
    // The lead byte gives the sequence length, its payload bits, and the smallest code point that
    // needs that many bytes (anything below is an overlong encoding).
    struct form {
      unsigned char mask, tag, payload;
      std::size_t length;
      std::uint32_t min_code;
    };
    static constexpr form forms[] = {{0xE0, 0xC0, 0x1F, 2, 0x80}, {0xF0, 0xE0, 0x0F, 3, 0x800},
                                     {0xF8, 0xF0, 0x07, 4, 0x10000}};
    form const* match = nullptr;
    for (auto const& f : forms) {
      if ((lead & f.mask) == f.tag) {
        match = &f;
        break;
      }
    }
    if (match == nullptr) {
      return false;
    }
    std::size_t const length = match->length;
    std::uint32_t const min_code = match->min_code;
    std::uint32_t code = lead & match->payload;
    if (text.size() - i < length) {
      return false;
    }
    for (std::size_t k = 1; k < length; ++k) {
      auto const next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) {
        return false;
      }
      code = (code << 6) | (next & 0x3F);
    }
    // Overlong forms, UTF-16 surrogates and code points past Unicode are not valid UTF-8.
    if (code < min_code || (code >= 0xD800 && code <= 0xDFFF) || code > 0x10FFFF) {
      return false;
    }
    i += length;
  }
  return true;
}

void append_value(std::string& out, double v) {
  if (std::isnan(v)) {
    out += "NaN";
    return;
  }
  if (std::isinf(v)) {
    out += v > 0 ? "+Inf" : "-Inf";
    return;
  }
  char buf[64];
  std::to_chars_result result{};
  if (std::abs(v) < exact_integer_limit && v == std::trunc(v)) {
    // Also turns -0 into "0".
    result = std::to_chars(buf, buf + sizeof buf, static_cast<std::int64_t>(v));
  } else {
    // Shortest text that reads back as the same double; fixed notation in the everyday range so
    // 0.0005 stays "0.0005" rather than "5e-04", scientific beyond it.
    double const magnitude = std::abs(v);
    auto const style = magnitude >= 1e-4 && magnitude < 1e16 ? std::chars_format::fixed
                                                              : std::chars_format::scientific;
    result = std::to_chars(buf, buf + sizeof buf, v, style);
  }
  if (result.ec != std::errc{}) {
    // 64 bytes hold any double in either notation; reaching this is a bug in this function.
    std::terminate();
  }
  out.append(buf, result.ptr);
}

std::string format_value(double v) {
  std::string out;
  append_value(out, v);
  return out;
}

void append_escaped_label_value(std::string& out, std::string_view value) {
  for (char c : value) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        out += c;
    }
  }
}

void append_escaped_help(std::string& out, std::string_view help) {
  for (char c : help) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        out += c;
    }
  }
}

std::string render_labels(labels const& l) {
  std::string out;
  for (auto const& [name, value] : l) {
    if (!out.empty()) {
      out += ',';
    }
    out += name;
    out += "=\"";
    append_escaped_label_value(out, value);
    out += '"';
  }
  return out;
}

}  // namespace chatd::metrics::text_format
