#include <chatd/chat/text.hpp>

#include <algorithm>
#include <cstdint>
#include <vector>

namespace chatd::chat::text {
namespace {

// Decodes one code point at s[i]; returns its length, or 0 for an invalid sequence.
std::size_t decode(std::string_view s, std::size_t i, char32_t& cp) {
  auto const b0 = static_cast<unsigned char>(s[i]);
  std::size_t len = 0;
  char32_t min = 0;
  if (b0 < 0x80) {
    cp = b0;
    return 1;
  } else if ((b0 & 0xE0) == 0xC0) {
    len = 2, cp = b0 & 0x1F, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3, cp = b0 & 0x0F, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4, cp = b0 & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (i + len > s.size()) {
    return 0;
  }
  for (std::size_t k = 1; k < len; ++k) {
    auto const b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) {
      return 0;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    return 0;
  }
  return len;
}

bool is_space(char32_t cp) {
  return cp == ' ' || (cp >= '\t' && cp <= '\r') || cp == 0x85 || cp == 0xA0 || cp == 0x1680 ||
         (cp >= 0x2000 && cp <= 0x200B) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F ||
         cp == 0x3000 || cp == 0xFEFF;
}

bool is_control(char32_t cp) { return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F); }

// Bidirectional overrides and isolates let a name display as something else.
bool is_bidi_control(char32_t cp) { return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069); }

struct decoded {
  std::vector<char32_t> cps;
  std::vector<std::size_t> offsets;  // byte offset of each code point, plus the end
};

std::optional<decoded> decode_all(std::string_view s) {
  decoded d;
  d.cps.reserve(s.size());
  d.offsets.reserve(s.size() + 1);
  for (std::size_t i = 0; i < s.size();) {
    char32_t cp = 0;
    auto const len = decode(s, i, cp);
    if (len == 0) {
      return std::nullopt;
    }
    d.cps.push_back(cp);
    d.offsets.push_back(i);
    i += len;
  }
  d.offsets.push_back(s.size());
  return d;
}

// Trims Unicode white space at both ends; returns the code point range [first, last).
std::pair<std::size_t, std::size_t> trimmed(decoded const& d) {
  std::size_t first = 0, last = d.cps.size();
  while (first < last && is_space(d.cps[first])) {
    ++first;
  }
  while (last > first && is_space(d.cps[last - 1])) {
    --last;
  }
  return {first, last};
}

}  // namespace

std::optional<std::size_t> utf8_length(std::string_view s) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size(); ++n) {
    char32_t cp = 0;
    auto const len = decode(s, i, cp);
    if (len == 0) {
      return std::nullopt;
    }
    i += len;
  }
  return n;
}

std::optional<std::string> message(std::string_view raw, std::string& why) {
  auto d = decode_all(raw);
  if (!d) {
    why = "text is not valid UTF-8";
    return std::nullopt;
  }
  auto [first, last] = trimmed(*d);
  if (first == last) {
    why = "text is empty";
    return std::nullopt;
  }
  if (last - first > max_message_code_points) {
    why = "text is longer than 2000 characters";
    return std::nullopt;
  }
  std::string out;
  out.reserve(d->offsets[last] - d->offsets[first]);
  for (auto k = first; k < last; ++k) {
    auto const cp = d->cps[k];
    if (cp == '\r') {
      continue;  // \r\n from some keyboards becomes \n
    }
    if (is_control(cp) && cp != '\n' && cp != '\t') {
      why = "text contains control characters";
      return std::nullopt;
    }
    out.append(raw.substr(d->offsets[k], d->offsets[k + 1] - d->offsets[k]));
  }
  return out;
}

std::optional<std::string> nickname(std::string_view raw, std::string& why) {
  auto d = decode_all(raw);
  if (!d) {
    why = "nickname is not valid UTF-8";
    return std::nullopt;
  }
  auto [first, last] = trimmed(*d);
  if (first == last || last - first > max_nickname_code_points) {
    why = "nickname must be 1 to 32 characters";
    return std::nullopt;
  }
  for (auto k = first; k < last; ++k) {
    if (is_control(d->cps[k]) || is_bidi_control(d->cps[k])) {
      why = "nickname contains control characters";
      return std::nullopt;
    }
  }
  return std::string(raw.substr(d->offsets[first], d->offsets[last] - d->offsets[first]));
}

bool valid_room(std::string_view room, std::string& why) {
  if (room.empty() || room.size() > max_room_bytes) {
    why = "room must be 1 to 200 bytes";
    return false;
  }
  auto d = decode_all(room);
  if (!d) {
    why = "room is not valid UTF-8";
    return false;
  }
  if (std::any_of(d->cps.begin(), d->cps.end(), [](char32_t cp) { return is_control(cp) || is_space(cp) || is_bidi_control(cp); })) {
    why = "room must not contain white space or control characters";
    return false;
  }
  return true;
}

bool valid_avatar(std::string_view avatar) {
  auto const colon = avatar.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon > 16) {
    return false;
  }
  auto const style = avatar.substr(0, colon);
  auto const seed = avatar.substr(colon + 1);
  if (seed.empty() || seed.size() > 64) {
    return false;
  }
  auto style_char = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; };
  auto seed_char = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  };
  return std::all_of(style.begin(), style.end(), style_char) && std::all_of(seed.begin(), seed.end(), seed_char);
}

bool valid_client_id(std::string_view id) {
  if (id.empty() || id.size() > max_client_id_bytes) {
    return false;
  }
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

}  // namespace chatd::chat::text
