#include "user_id.hpp"

#include <openssl/rand.h>

#include <array>
#include <stdexcept>

namespace chatd::store::detail {

std::string new_user_id() {
  std::array<unsigned char, 12> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    throw std::runtime_error("OpenSSL RAND_bytes failed: cannot create a guest id");
  }
  return "u_" + hex_encode(std::string_view(reinterpret_cast<char const*>(bytes.data()), bytes.size()));
}

std::string hex_encode(std::string_view bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (char c : bytes) {
    auto const b = static_cast<unsigned char>(c);
    out += digits[b >> 4];
    out += digits[b & 0x0f];
  }
  return out;
}

}  // namespace chatd::store::detail
