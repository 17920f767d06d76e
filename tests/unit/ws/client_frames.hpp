#pragma once

#include <chatd/ws/frame_reader.hpp>

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

// Client frames as a browser sends them, and the events a frame_reader reports for a byte stream.
namespace chatd::ws::test {

struct frame_spec {
  int opcode = 0x1;
  bool fin = true;
  bool mask = true;
  int rsv = 0;             // the three RSV bits, as 0-7
  int length_bytes = 0;    // 0: the shortest encoding; 2 or 8: that extended length, whatever the size
  std::uint64_t length = ~std::uint64_t{0};  // the length to claim; by default the payload's
};

inline std::string client_frame(std::string_view payload, frame_spec spec = {}) {
  std::string out;
  out.push_back(static_cast<char>((spec.fin ? 0x80 : 0) | (spec.rsv << 4) | spec.opcode));
  auto const length = spec.length == ~std::uint64_t{0} ? payload.size() : spec.length;
  auto const mask_bit = spec.mask ? 0x80 : 0;
  int ext = spec.length_bytes;
  if (ext == 0) {
    ext = length < 126 ? 0 : length <= 0xffff ? 2 : 8;
  }
  if (ext == 0) {
    out.push_back(static_cast<char>(mask_bit | static_cast<int>(length)));
  } else {
    out.push_back(static_cast<char>(mask_bit | (ext == 2 ? 126 : 127)));
    for (int shift = (ext - 1) * 8; shift >= 0; shift -= 8) {
      out.push_back(static_cast<char>((length >> shift) & 0xff));
    }
  }
  unsigned char const key[4] = {0x37, 0xfa, 0x21, 0x3d};
  if (spec.mask) {
    out.append(reinterpret_cast<char const*>(key), 4);
  }
  for (std::size_t i = 0; i < payload.size(); ++i) {
    out.push_back(spec.mask ? static_cast<char>(payload[i] ^ key[i % 4]) : payload[i]);
  }
  return out;
}

inline std::string close_payload(int code, std::string_view reason = {}) {
  std::string out;
  out.push_back(static_cast<char>(code >> 8));
  out.push_back(static_cast<char>(code & 0xff));
  out += reason;
  return out;
}

// What the reader reported, in a form tests can compare.
struct record {
  frame_reader::event what;
  int code = 0;          // close and error
  std::string payload;   // message text, ping/pong payload, close reason
  bool operator==(record const&) const = default;
};

// Feeds `stream` to a fresh reader in pieces of the given sizes (the last piece takes the rest),
// taking each message as the session does, and returns every event but need_more.
inline std::vector<record> read_all(std::string_view stream, std::vector<std::size_t> const& pieces, std::size_t max_message = 16384) {
  frame_reader reader(max_message);
  std::string message;
  std::vector<record> out;
  std::size_t at = 0;
  for (std::size_t p = 0; at < stream.size(); ++p) {
    auto const rest = stream.size() - at;
    auto const size = p < pieces.size() ? std::clamp<std::size_t>(pieces[p], 1, rest) : rest;
    auto input = stream.substr(at, size);
    at += size;
    while (!input.empty()) {
      auto const r = reader.read(input, message);
      if (r.consumed == 0) {
        out.push_back({frame_reader::event::error, -1, "no progress"});
        return out;
      }
      input.remove_prefix(r.consumed);
      switch (r.what) {
        case frame_reader::event::need_more:
          break;
        case frame_reader::event::message:
          out.push_back({r.what, 0, message});
          message.clear();
          break;
        case frame_reader::event::close:
          out.push_back({r.what, static_cast<int>(r.code), std::string(r.payload)});
          break;
        case frame_reader::event::error:
          out.push_back({r.what, static_cast<int>(r.code), std::string(r.why)});
          break;
        case frame_reader::event::ping:
        case frame_reader::event::pong:
          out.push_back({r.what, 0, std::string(r.payload)});
          break;
      }
    }
  }
  return out;
}

inline std::vector<record> read_whole(std::string_view stream, std::size_t max_message = 16384) {
  return read_all(stream, {stream.size()}, max_message);
}

inline std::vector<record> read_bytewise(std::string_view stream, std::size_t max_message = 16384) {
  return read_all(stream, std::vector<std::size_t>(stream.size(), 1), max_message);
}

}  // namespace chatd::ws::test
