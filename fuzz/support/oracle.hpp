#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// Reference checks the fuzz targets hold chatd's answers against. They are written from the specs
// (Unicode's table of well-formed UTF-8, its White_Space property, docs/protocol.md), not from
// chatd's code, so a shared misreading cannot hide a bug.
namespace chatd::fuzz {

// A broken invariant: print what was expected and abort, so libFuzzer saves the input.
[[noreturn]] inline void fail(char const* what, std::string_view detail = {}) {
  std::fprintf(stderr, "invariant broken: %s\n", what);
  if (!detail.empty()) {
    std::string shown;
    for (unsigned char c : detail.substr(0, 400)) {
      if (c >= 0x20 && c < 0x7F && c != '\\') {
        shown.push_back(static_cast<char>(c));
      } else {
        char hex[8];
        std::snprintf(hex, sizeof hex, "\\x%02x", c);
        shown += hex;
      }
    }
    std::fprintf(stderr, "  value (%zu bytes): %s\n", detail.size(), shown.c_str());
  }
  std::abort();
}

#define CHATD_FUZZ_CHECK(cond, detail)                   \
  do {                                                   \
    if (!(cond)) {                                       \
      ::chatd::fuzz::fail(#cond " (" __FILE__ ")", detail); \
    }                                                    \
  } while (false)

// Decodes UTF-8 by the byte ranges of Unicode 15, table 3-7 (well-formed byte sequences):
// nullopt for anything else (overlong forms, surrogates, past U+10FFFF, truncated sequences).
inline std::optional<std::vector<char32_t>> decode_utf8(std::string_view s) {
  struct range {
    unsigned char lo, hi;
  };
  std::vector<char32_t> out;
  std::size_t i = 0;
  while (i < s.size()) {
    auto const b0 = static_cast<unsigned char>(s[i]);
    range second{0x80, 0xBF};
    std::size_t trailing = 0;
    char32_t cp = 0;
    if (b0 <= 0x7F) {
      out.push_back(b0);
      ++i;
      continue;
    } else if (b0 >= 0xC2 && b0 <= 0xDF) {
      trailing = 1, cp = b0 & 0x1F;
    } else if (b0 == 0xE0) {
      trailing = 2, cp = b0 & 0x0F, second = {0xA0, 0xBF};
    } else if ((b0 >= 0xE1 && b0 <= 0xEC) || b0 == 0xEE || b0 == 0xEF) {
      trailing = 2, cp = b0 & 0x0F;
    } else if (b0 == 0xED) {
      trailing = 2, cp = b0 & 0x0F, second = {0x80, 0x9F};
    } else if (b0 == 0xF0) {
      trailing = 3, cp = b0 & 0x07, second = {0x90, 0xBF};
    } else if (b0 >= 0xF1 && b0 <= 0xF3) {
      trailing = 3, cp = b0 & 0x07;
    } else if (b0 == 0xF4) {
      trailing = 3, cp = b0 & 0x07, second = {0x80, 0x8F};
    } else {
      return std::nullopt;
    }
    if (s.size() - i <= trailing) {
      return std::nullopt;
    }
    for (std::size_t k = 1; k <= trailing; ++k) {
      auto const b = static_cast<unsigned char>(s[i + k]);
      auto const r = k == 1 ? second : range{0x80, 0xBF};
      if (b < r.lo || b > r.hi) {
        return std::nullopt;
      }
      cp = (cp << 6) | (b & 0x3F);
    }
    out.push_back(cp);
    i += trailing + 1;
  }
  return out;
}

inline bool valid_utf8(std::string_view s) { return decode_utf8(s).has_value(); }

// Unicode's White_Space property.
inline bool white_space(char32_t cp) {
  return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) ||
         cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

// White space plus the invisible ZERO WIDTH SPACE and BOM, which a server may also trim.
inline bool blank(char32_t cp) { return white_space(cp) || cp == 0x200B || cp == 0xFEFF; }

// General category Cc.
inline bool control(char32_t cp) { return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F); }

// Embeddings, overrides and isolates: they make text display as something it is not.
inline bool bidi_control(char32_t cp) { return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069); }

inline bool id_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

// docs/protocol.md: client_id is 1..64 characters of [A-Za-z0-9_-].
inline bool client_id_ok(std::string_view id) {
  if (id.empty() || id.size() > 64) {
    return false;
  }
  for (char c : id) {
    if (!id_char(c)) {
      return false;
    }
  }
  return true;
}

// docs/protocol.md: avatar matches ^[a-z0-9-]{1,16}:[A-Za-z0-9_-]{1,64}$.
inline bool avatar_ok(std::string_view a) {
  std::size_t i = 0;
  while (i < a.size() && ((a[i] >= 'a' && a[i] <= 'z') || (a[i] >= '0' && a[i] <= '9') || a[i] == '-')) {
    ++i;
  }
  if (i < 1 || i > 16 || i == a.size() || a[i] != ':') {
    return false;
  }
  return client_id_ok(a.substr(i + 1));
}

// docs/protocol.md: a room id is 1..200 bytes of UTF-8 with no control characters and no white
// space (bidirectional controls are refused too: they disguise one room as another).
inline bool room_ok(std::string_view room) {
  if (room.empty() || room.size() > 200) {
    return false;
  }
  auto cps = decode_utf8(room);
  if (!cps) {
    return false;
  }
  for (auto cp : *cps) {
    if (control(cp) || blank(cp) || bidi_control(cp)) {
      return false;
    }
  }
  return true;
}

inline std::string without_cr(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c != '\r') {
      out.push_back(c);
    }
  }
  return out;
}

// True when `inner` is `outer` with only blank code points removed from its two ends.
inline bool trimmed_of(std::string_view inner, std::string_view outer) {
  for (auto pos = outer.find(inner); pos != std::string_view::npos; pos = outer.find(inner, pos + 1)) {
    auto head = decode_utf8(outer.substr(0, pos));
    auto tail = decode_utf8(outer.substr(pos + inner.size()));
    auto all_blank = [](std::vector<char32_t> const& cps) {
      for (auto cp : cps) {
        if (!blank(cp)) {
          return false;
        }
      }
      return true;
    };
    if (head && tail && all_blank(*head) && all_blank(*tail)) {
      return true;
    }
  }
  return false;
}

// The code points of `s` without blank ones at either end; nullopt when `s` is not UTF-8.
inline std::optional<std::vector<char32_t>> core_of(std::string_view s) {
  auto cps = decode_utf8(s);
  if (!cps) {
    return std::nullopt;
  }
  std::size_t first = 0, last = cps->size();
  while (first < last && blank((*cps)[first])) {
    ++first;
  }
  while (last > first && blank((*cps)[last - 1])) {
    --last;
  }
  return std::vector<char32_t>(cps->begin() + static_cast<std::ptrdiff_t>(first), cps->begin() + static_cast<std::ptrdiff_t>(last));
}

// docs/protocol.md: text is UTF-8 of 1..2000 code points after trimming; tab and line breaks are
// the only control characters a chat line may hold (\r is dropped).
inline bool message_acceptable(std::string_view raw) {
  auto core = core_of(raw);
  if (!core || core->empty() || core->size() > 2000) {
    return false;
  }
  for (auto cp : *core) {
    if (control(cp) && cp != '\n' && cp != '\t' && cp != '\r') {
      return false;
    }
  }
  return true;
}

// docs/protocol.md: 1..32 code points after trimming, no control characters.
inline bool nickname_acceptable(std::string_view raw) {
  auto core = core_of(raw);
  if (!core || core->empty() || core->size() > 32) {
    return false;
  }
  for (auto cp : *core) {
    if (control(cp) || bidi_control(cp)) {
      return false;
    }
  }
  return true;
}

}  // namespace chatd::fuzz
