#include <chatd/chat/identity.hpp>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <stdexcept>

namespace chatd::chat::identity {
namespace {

constexpr char base64url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

template <std::size_t N>
std::array<unsigned char, N> random_bytes() {
  std::array<unsigned char, N> out{};
  if (RAND_bytes(out.data(), static_cast<int>(N)) != 1) {
    // Without a working CSPRNG no token is safe to hand out.
    throw std::runtime_error("the system random generator failed");
  }
  return out;
}

std::string encode(unsigned char const* data, std::size_t size) {
  std::string out;
  std::uint32_t acc = 0;
  int bits = 0;
  for (std::size_t i = 0; i < size; ++i) {
    acc = (acc << 8) | data[i];
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(base64url[(acc >> bits) & 0x3F]);
    }
  }
  if (bits > 0) {
    out.push_back(base64url[(acc << (6 - bits)) & 0x3F]);
  }
  return out;
}

constexpr std::array adjectives{"Quiet", "Brave", "Sunny", "Clever", "Gentle", "Swift", "Lucky", "Calm",
                                "Bright", "Merry", "Bold", "Kind", "Witty", "Cozy", "Eager", "Misty"};
constexpr std::array animals{"Fox", "Otter", "Panda", "Tiger", "Crane", "Whale", "Robin", "Badger",
                             "Koala", "Lynx", "Heron", "Seal", "Magpie", "Hare", "Owl", "Deer"};
constexpr std::array avatar_styles{"ring", "beam", "pixel", "sunset"};

}  // namespace

std::string new_token() {
  auto bytes = random_bytes<32>();
  return encode(bytes.data(), bytes.size());
}

std::string token_hash(std::string_view token) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(token.data(), token.size(), digest, &length, EVP_sha256(), nullptr);
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(length * 2);
  for (unsigned i = 0; i < length; ++i) {
    out.push_back(hex[digest[i] >> 4]);
    out.push_back(hex[digest[i] & 0xF]);
  }
  return out;
}

bool plausible_token(std::string_view token) {
  return token.size() == token_length &&
         std::all_of(token.begin(), token.end(), [](char c) { return std::find(std::begin(base64url), std::end(base64url) - 1, c) != std::end(base64url) - 1; });
}

std::string random_nickname() {
  auto r = random_bytes<3>();
  return std::string(adjectives[r[0] % adjectives.size()]) + " " + animals[r[1] % animals.size()] + " " + std::to_string(r[2] % 100);
}

std::string random_avatar() {
  auto r = random_bytes<9>();
  return std::string(avatar_styles[r[0] % avatar_styles.size()]) + ":" + encode(r.data() + 1, 8);
}

}  // namespace chatd::chat::identity
