#include <chatd/ws/utf8_validator.hpp>

#include <cstring>

namespace chatd::ws {

bool utf8_validator::feed(std::string_view bytes) {
  if (failed()) {
    return false;
  }
  auto const* p = reinterpret_cast<unsigned char const*>(bytes.data());
  auto const* const end = p + bytes.size();
  while (p != end) {
    if (need_ == 0) {
      // JSON is mostly ASCII: skip it eight bytes at a time.
      while (end - p >= 8) {
        std::uint64_t word;
        std::memcpy(&word, p, 8);
        if ((word & 0x8080808080808080ULL) != 0) {
          break;
        }
        p += 8;
      }
      if (p == end) {
        break;
      }
      auto const b = *p++;
      if (b < 0x80) {
        continue;
      }
      low_ = 0x80;
      high_ = 0xBF;
      if (b >= 0xC2 && b <= 0xDF) {
        need_ = 1;
      } else if (b >= 0xE0 && b <= 0xEF) {
        need_ = 2;
        if (b == 0xE0) {
          low_ = 0xA0;  // below is an overlong form of U+0000-U+07FF
        } else if (b == 0xED) {
          high_ = 0x9F;  // above are the surrogates U+D800-U+DFFF
        }
      } else if (b >= 0xF0 && b <= 0xF4) {
        need_ = 3;
        if (b == 0xF0) {
          low_ = 0x90;  // below is an overlong form of U+0000-U+FFFF
        } else if (b == 0xF4) {
          high_ = 0x8F;  // above is past U+10FFFF
        }
      } else {
        // 80-BF cannot start a code point; C0, C1 only start overlong forms; F5-FF are past U+10FFFF.
        need_ = failed_state;
        return false;
      }
      continue;
    }
    auto const b = *p++;
    if (b < low_ || b > high_) {
      need_ = failed_state;
      return false;
    }
    --need_;
    low_ = 0x80;
    high_ = 0xBF;
  }
  return true;
}

}  // namespace chatd::ws
