#include <chatd/ws/rfc6455.hpp>

namespace chatd::ws {

bool valid_close_code(std::uint16_t code) {
  if (code >= 3000 && code <= 4999) {
    return true;
  }
  // 1000-1003 and 1007-1014: the RFC's own codes and those IANA registered since (1012 service
  // restart, 1013 try again later, 1014 bad gateway).
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014);
}

std::size_t frame_header(opcode op, std::size_t payload_size, unsigned char (&out)[10]) {
  out[0] = static_cast<unsigned char>(0x80 | static_cast<unsigned>(op));  // FIN
  if (payload_size < 126) {
    out[1] = static_cast<unsigned char>(payload_size);
    return 2;
  }
  if (payload_size <= 0xffff) {
    out[1] = 126;
    out[2] = static_cast<unsigned char>(payload_size >> 8);
    out[3] = static_cast<unsigned char>(payload_size);
    return 4;
  }
  out[1] = 127;
  auto const size = static_cast<std::uint64_t>(payload_size);
  for (int i = 0; i < 8; ++i) {
    out[2 + i] = static_cast<unsigned char>(size >> (56 - 8 * i));
  }
  return 10;
}

void append_frame(std::string& out, opcode op, std::string_view payload) {
  unsigned char header[10];
  auto const header_size = frame_header(op, payload.size(), header);
  out.append(reinterpret_cast<char const*>(header), header_size);
  out.append(payload);
}

void append_close_frame(std::string& out, close_code code, std::string_view reason) {
  if (reason.size() > max_control_payload - 2) {
    // Cut before a whole code point: the peer checks the reason's UTF-8.
    auto cut = max_control_payload - 2;
    while (cut > 0 && (static_cast<unsigned char>(reason[cut]) & 0xC0) == 0x80) {
      --cut;
    }
    reason = reason.substr(0, cut);
  }
  auto const value = static_cast<std::uint16_t>(code);
  char payload[max_control_payload];
  payload[0] = static_cast<char>(value >> 8);
  payload[1] = static_cast<char>(value & 0xff);
  reason.copy(payload + 2, reason.size());
  append_frame(out, opcode::close, std::string_view(payload, 2 + reason.size()));
}

}  // namespace chatd::ws
