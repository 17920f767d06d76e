#pragma once

#include <cstdint>
#include <string_view>

namespace chatd::ws {

// Checks UTF-8 (RFC 3629) piece by piece, so that a text message split into fragments, or a
// fragment split across reads, is checked as it arrives, and a bad byte is caught when it comes
// rather than once the message is whole. Overlong forms, surrogates (U+D800-U+DFFF) and values past
// U+10FFFF are invalid. Three bytes of state.
class utf8_validator {
 public:
  // False once the bytes so far cannot begin valid UTF-8; the validator then stays failed.
  bool feed(std::string_view bytes);
  // True when the bytes so far are whole, valid UTF-8 (no code point left open).
  bool complete() const { return need_ == 0 && !failed(); }
  bool failed() const { return need_ == failed_state; }
  void reset() { *this = utf8_validator{}; }

 private:
  static constexpr std::uint8_t failed_state = 0xff;
  std::uint8_t need_ = 0;    // continuation bytes still to come for the open code point
  std::uint8_t low_ = 0x80;  // the range of the next continuation byte, narrower after E0, ED, F0, F4
  std::uint8_t high_ = 0xBF;
};

}  // namespace chatd::ws
