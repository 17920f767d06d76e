#include <chatd/ws/frame_reader.hpp>

#include <algorithm>

namespace chatd::ws {

namespace {

bool is_control(opcode op) { return (static_cast<unsigned>(op) & 0x8) != 0; }

bool known_opcode(unsigned op) {
  switch (op) {
    case 0x0:
    case 0x1:
    case 0x2:
    case 0x8:
    case 0x9:
    case 0xA:
      return true;
    default:
      return false;
  }
}

// XORs `n` bytes with the mask key, starting at key byte `at`; returns where the key stands after.
std::uint8_t unmask(char* data, std::size_t n, unsigned char const (&key)[4], std::uint8_t at) {
  for (std::size_t k = 0; k < n; ++k) {
    data[k] = static_cast<char>(static_cast<unsigned char>(data[k]) ^ key[(at + k) & 3]);
  }
  return static_cast<std::uint8_t>((at + n) & 3);
}

}  // namespace

frame_reader::result frame_reader::read(std::string_view input, std::string& message) {
  if (step_ == step::done) {
    return {.what = event::need_more, .consumed = input.size()};
  }
  if (step_ == step::first_byte && !control_.empty()) {
    std::string().swap(control_);  // the last control frame's payload has been taken
  }
  auto const* const bytes = reinterpret_cast<unsigned char const*>(input.data());
  std::size_t i = 0;
  while (i < input.size()) {
    switch (step_) {
      case step::first_byte: {
        auto const b = bytes[i++];
        if ((b & 0x70) != 0) {
          return fail(i, close_code::protocol_error, "reserved bits set, but no extension was negotiated");
        }
        if (!known_opcode(b & 0x0F)) {
          return fail(i, close_code::protocol_error, "reserved opcode");
        }
        fin_ = (b & 0x80) != 0;
        opcode_ = static_cast<opcode>(b & 0x0F);
        if (is_control(opcode_) && !fin_) {
          return fail(i, close_code::protocol_error, "fragmented control frame");
        }
        step_ = step::length_byte;
        break;
      }
      case step::length_byte: {
        auto const b = bytes[i++];
        if ((b & 0x80) == 0) {
          return fail(i, close_code::protocol_error, "client frame not masked");
        }
        auto const length = static_cast<std::size_t>(b & 0x7F);
        if (is_control(opcode_) && length > max_control_payload) {
          return fail(i, close_code::protocol_error, "control frame longer than 125 bytes");
        }
        remaining_ = 0;
        if (length == 126 || length == 127) {
          header_left_ = static_cast<std::uint8_t>(length == 126 ? 2 : 8);
          step_ = step::extended_length;
        } else {
          remaining_ = length;
          header_left_ = 4;
          step_ = step::mask_key;
        }
        break;
      }
      case step::extended_length: {
        remaining_ = (remaining_ << 8) | bytes[i++];
        if (--header_left_ == 0) {
          if ((remaining_ >> 63) != 0) {
            return fail(i, close_code::protocol_error, "frame length has its top bit set");
          }
          header_left_ = 4;
          step_ = step::mask_key;
        }
        break;
      }
      case step::mask_key: {
        mask_[4 - header_left_] = bytes[i++];
        if (--header_left_ == 0) {
          if (auto r = header_done(i, message); r.what != event::need_more) {
            return r;
          }
          if (remaining_ == 0) {
            if (auto r = frame_done(i); r.what != event::need_more) {
              return r;
            }
          }
        }
        break;
      }
      case step::payload: {
        auto const n = static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, input.size() - i));
        auto& into = is_control(opcode_) ? control_ : message;
        auto const at = into.size();
        into.append(input.data() + i, n);
        mask_at_ = unmask(into.data() + at, n, mask_, mask_at_);
        i += n;
        remaining_ -= n;
        if (!is_control(opcode_) && !utf8_.feed(std::string_view(into).substr(at))) {
          return fail(i, close_code::invalid_payload, "text message is not UTF-8");
        }
        if (remaining_ == 0) {
          if (auto r = frame_done(i); r.what != event::need_more) {
            return r;
          }
        }
        break;
      }
      case step::done:
        return {.what = event::need_more, .consumed = input.size()};
    }
  }
  return {.what = event::need_more, .consumed = i};
}

frame_reader::result frame_reader::fail(std::size_t consumed, close_code code, std::string_view why) {
  step_ = step::done;
  return {.what = event::error, .consumed = consumed, .code = code, .why = why};
}

frame_reader::result frame_reader::header_done(std::size_t consumed, std::string const& message) {
  mask_at_ = 0;
  step_ = step::payload;
  if (is_control(opcode_)) {
    control_.clear();
    return {.consumed = consumed};
  }
  if (opcode_ == opcode::continuation) {
    if (!in_message_) {
      return fail(consumed, close_code::protocol_error, "continuation frame without a message to continue");
    }
  } else {
    if (in_message_) {
      return fail(consumed, close_code::protocol_error, "new message before the last one's final frame");
    }
    if (opcode_ == opcode::binary) {
      return fail(consumed, close_code::unsupported_data, "binary messages are not accepted");
    }
    in_message_ = true;
    utf8_.reset();
  }
  // The message's length so far never passes the limit, so this cannot wrap.
  if (remaining_ > max_message_ - message.size()) {
    return fail(consumed, close_code::message_too_big, "message longer than the limit");
  }
  return {.consumed = consumed};
}

frame_reader::result frame_reader::frame_done(std::size_t consumed) {
  step_ = step::first_byte;
  switch (opcode_) {
    case opcode::ping:
      return {.what = event::ping, .consumed = consumed, .payload = control_};
    case opcode::pong:
      return {.what = event::pong, .consumed = consumed, .payload = control_};
    case opcode::close:
      return close_frame(consumed);
    default:
      break;
  }
  if (!fin_) {
    return {.consumed = consumed};
  }
  in_message_ = false;
  if (!utf8_.complete()) {
    return fail(consumed, close_code::invalid_payload, "text message ends inside a UTF-8 sequence");
  }
  return {.what = event::message, .consumed = consumed};
}

frame_reader::result frame_reader::close_frame(std::size_t consumed) {
  step_ = step::done;
  if (control_.empty()) {
    return {.what = event::close, .consumed = consumed, .code = close_code::no_status};
  }
  if (control_.size() == 1) {
    return fail(consumed, close_code::protocol_error, "close frame with a one-byte payload");
  }
  auto const code = static_cast<std::uint16_t>((static_cast<unsigned char>(control_[0]) << 8) | static_cast<unsigned char>(control_[1]));
  if (!valid_close_code(code)) {
    return fail(consumed, close_code::protocol_error, "close code a peer may not send");
  }
  auto const reason = std::string_view(control_).substr(2);
  utf8_validator utf8;
  if (!utf8.feed(reason) || !utf8.complete()) {
    return fail(consumed, close_code::invalid_payload, "close reason is not UTF-8");
  }
  return {.what = event::close, .consumed = consumed, .code = static_cast<close_code>(code), .payload = reason};
}

}  // namespace chatd::ws
