// Fuzzes ws::frame_reader, the server's RFC 6455 parser of client frames: arbitrary bytes, fed in
// pieces of pseudo-random sizes (down to one byte), must give exactly the events a whole-input
// reference reader gives. The reference below is written from RFC 6455 sections 5 and 7 and
// Unicode's table of well-formed UTF-8, not from frame_reader's code. Every event is also checked
// on its own: messages within the limit and UTF-8, control payloads within 125 bytes, close codes
// a peer may send, nothing after a close or an error, and progress on every call.
//
// Input: byte 0 picks the message limit, byte 1 seeds the piece sizes, the rest is the stream.

#include "support/oracle.hpp"

#include <chatd/ws/frame_reader.hpp>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace ws = chatd::ws;
using chatd::fuzz::valid_utf8;
using event = ws::frame_reader::event;

struct record {
  event what;
  int code = 0;
  std::string payload;
  bool operator==(record const&) const = default;
};

std::string describe(std::vector<record> const& events) {
  std::string out;
  for (auto const& e : events) {
    out += std::to_string(static_cast<int>(e.what)) + ":" + std::to_string(e.code) + ":" + std::to_string(e.payload.size()) + " ";
  }
  return out;
}

// Unicode 15 table 3-7, row by row: the byte ranges of each well-formed sequence.
struct byte_range {
  unsigned char lo, hi;
};
constexpr std::array<std::array<byte_range, 4>, 9> well_formed{{
    {{{0x00, 0x7F}, {1, 0}, {1, 0}, {1, 0}}},
    {{{0xC2, 0xDF}, {0x80, 0xBF}, {1, 0}, {1, 0}}},
    {{{0xE0, 0xE0}, {0xA0, 0xBF}, {0x80, 0xBF}, {1, 0}}},
    {{{0xE1, 0xEC}, {0x80, 0xBF}, {0x80, 0xBF}, {1, 0}}},
    {{{0xED, 0xED}, {0x80, 0x9F}, {0x80, 0xBF}, {1, 0}}},
    {{{0xEE, 0xEF}, {0x80, 0xBF}, {0x80, 0xBF}, {1, 0}}},
    {{{0xF0, 0xF0}, {0x90, 0xBF}, {0x80, 0xBF}, {0x80, 0xBF}}},
    {{{0xF1, 0xF3}, {0x80, 0xBF}, {0x80, 0xBF}, {0x80, 0xBF}}},
    {{{0xF4, 0xF4}, {0x80, 0x8F}, {0x80, 0xBF}, {0x80, 0xBF}}},
}};

// True when `tail` is the start, but not the whole, of a well-formed sequence.
bool open_sequence(std::string_view tail) {
  for (auto const& row : well_formed) {
    std::size_t length = 0;
    while (length < 4 && row[length].lo <= row[length].hi) {
      ++length;
    }
    if (tail.size() >= length) {
      continue;
    }
    bool fits = true;
    for (std::size_t i = 0; i < tail.size() && fits; ++i) {
      auto const b = static_cast<unsigned char>(tail[i]);
      fits = b >= row[i].lo && b <= row[i].hi;
    }
    if (fits) {
      return true;
    }
  }
  return false;
}

// True while more bytes could still make `s` valid UTF-8: it is, or it ends in an open sequence.
bool still_valid(std::string_view s) {
  if (valid_utf8(s)) {
    return true;
  }
  for (std::size_t open = 1; open <= 3 && open <= s.size(); ++open) {
    if (open_sequence(s.substr(s.size() - open)) && valid_utf8(s.substr(0, s.size() - open))) {
      return true;
    }
  }
  return false;
}

bool peer_close_code(unsigned code) {
  // RFC 6455 section 7.4.1 and IANA's registry: defined codes, minus those never sent on the wire.
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
}

// The whole input at once, frame by frame, stopping where the input ends. An error is reported as
// soon as the bytes that show it are in, which is what an incremental reader must do too.
std::vector<record> reference(std::string_view in, std::size_t limit) {
  std::vector<record> out;
  auto error = [&](int code) {
    out.push_back({event::error, code, {}});
    return out;
  };
  auto byte = [&](std::size_t i) { return static_cast<unsigned char>(in[i]); };
  bool in_message = false;
  std::string message;
  std::size_t pos = 0;
  while (pos < in.size()) {
    auto const b0 = byte(pos);
    auto const op = b0 & 0x0F;
    bool const fin = (b0 & 0x80) != 0;
    bool const control = (op & 0x8) != 0;
    if ((b0 & 0x70) != 0) {
      return error(1002);
    }
    if (op != 0 && op != 1 && op != 2 && op != 8 && op != 9 && op != 10) {
      return error(1002);
    }
    if (control && !fin) {
      return error(1002);
    }
    if (pos + 1 >= in.size()) {
      break;
    }
    auto const b1 = byte(pos + 1);
    if ((b1 & 0x80) == 0) {
      return error(1002);
    }
    std::uint64_t length = b1 & 0x7F;
    if (control && length > 125) {
      return error(1002);
    }
    std::size_t const extended = length == 126 ? 2 : length == 127 ? 8 : 0;
    if (pos + 2 + extended > in.size()) {
      break;
    }
    if (extended > 0) {
      length = 0;
      for (std::size_t i = 0; i < extended; ++i) {
        length = (length << 8) | byte(pos + 2 + i);
      }
      if ((length >> 63) != 0) {
        return error(1002);
      }
    }
    auto const header = 2 + extended + 4;
    if (pos + header > in.size()) {
      break;
    }
    auto const key = in.substr(pos + 2 + extended, 4);
    if (!control) {
      if (op == 0 && !in_message) {
        return error(1002);
      }
      if (op != 0 && in_message) {
        return error(1002);
      }
      if (op == 2) {
        return error(1003);
      }
      in_message = true;
      if (length > limit - message.size()) {
        return error(1009);
      }
    }
    auto const available = static_cast<std::size_t>(std::min<std::uint64_t>(length, in.size() - pos - header));
    std::string payload(in.substr(pos + header, available));
    for (std::size_t i = 0; i < payload.size(); ++i) {
      payload[i] = static_cast<char>(payload[i] ^ key[i % 4]);
    }
    if (!control) {
      message += payload;
      if (!still_valid(message)) {
        return error(1007);
      }
    }
    if (available < length) {
      break;
    }
    pos += header + available;
    if (op == 9 || op == 10) {
      out.push_back({op == 9 ? event::ping : event::pong, 0, payload});
    } else if (op == 8) {
      if (payload.empty()) {
        out.push_back({event::close, 1005, {}});
        return out;
      }
      if (payload.size() == 1) {
        return error(1002);
      }
      auto const code = (static_cast<unsigned char>(payload[0]) << 8) | static_cast<unsigned char>(payload[1]);
      if (!peer_close_code(static_cast<unsigned>(code))) {
        return error(1002);
      }
      if (!valid_utf8(std::string_view(payload).substr(2))) {
        return error(1007);
      }
      out.push_back({event::close, code, payload.substr(2)});
      return out;
    } else if (fin) {
      in_message = false;
      if (!valid_utf8(message)) {
        return error(1007);
      }
      out.push_back({event::message, 0, message});
      message.clear();
    }
  }
  return out;
}

// The reader under test, fed in pieces whose sizes come from `seed` (0: the whole input at once).
std::vector<record> incremental(std::string_view in, std::size_t limit, std::uint32_t seed) {
  ws::frame_reader reader(limit);
  std::string message;
  std::vector<record> out;
  bool ended = false;
  std::uint32_t state = seed * 2654435761U + 1;
  std::size_t pos = 0;
  while (pos < in.size()) {
    state ^= state << 13;
    state ^= state >> 17;
    state ^= state << 5;
    // Mostly small pieces, so that every header field gets split; now and then a large one.
    std::size_t piece = (state & 0x30) == 0 ? 1 + (state >> 8) % 4096 : 1 + (state >> 8) % 9;
    piece = seed == 0 ? in.size() - pos : std::min(piece, in.size() - pos);
    auto input = in.substr(pos, piece);
    pos += piece;
    while (!input.empty()) {
      auto const r = reader.read(input, message);
      CHATD_FUZZ_CHECK(r.consumed > 0 && r.consumed <= input.size(), describe(out));
      CHATD_FUZZ_CHECK(message.size() <= limit, describe(out));
      input.remove_prefix(r.consumed);
      if (r.what == event::need_more) {
        CHATD_FUZZ_CHECK(input.empty(), describe(out));
        continue;
      }
      CHATD_FUZZ_CHECK(!ended, describe(out));  // nothing after a close or an error
      switch (r.what) {
        case event::message:
          CHATD_FUZZ_CHECK(valid_utf8(message), message);
          out.push_back({r.what, 0, message});
          message.clear();
          break;
        case event::ping:
        case event::pong:
          CHATD_FUZZ_CHECK(r.payload.size() <= ws::max_control_payload, r.payload);
          out.push_back({r.what, 0, std::string(r.payload)});
          break;
        case event::close: {
          auto const code = static_cast<unsigned>(r.code);
          CHATD_FUZZ_CHECK(code == 1005 ? r.payload.empty() : peer_close_code(code), r.payload);
          CHATD_FUZZ_CHECK(r.payload.size() <= ws::max_control_payload - 2 && valid_utf8(r.payload), r.payload);
          out.push_back({r.what, static_cast<int>(code), std::string(r.payload)});
          ended = true;
          break;
        }
        case event::error: {
          auto const code = static_cast<int>(r.code);
          CHATD_FUZZ_CHECK(code == 1002 || code == 1003 || code == 1007 || code == 1009, r.why);
          CHATD_FUZZ_CHECK(!r.why.empty(), describe(out));
          out.push_back({r.what, code, {}});
          ended = true;
          break;
        }
        case event::need_more:
          break;
      }
      CHATD_FUZZ_CHECK(reader.done() == ended, describe(out));
    }
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  if (size < 2) {
    return 0;
  }
  // Small limits reach 1009 with small inputs; 16 KiB is chatd's default.
  constexpr std::array<std::size_t, 8> limits{0, 1, 7, 125, 126, 1024, 16384, 65536};
  auto const limit = limits[data[0] % limits.size()];
  std::string_view const in(reinterpret_cast<char const*>(data) + 2, size - 2);
  auto const expected = reference(in, limit);
  auto const whole = incremental(in, limit, 0);
  CHATD_FUZZ_CHECK(whole == expected, describe(whole) + "| expected " + describe(expected));
  auto const pieces = incremental(in, limit, data[1] + 1U);
  CHATD_FUZZ_CHECK(pieces == expected, describe(pieces) + "| expected " + describe(expected));
  return 0;
}
