#pragma once

#include <cstddef>
#include <functional>
#include <string_view>

namespace chatd::chat {

// Lets maps keyed by std::string be searched with a string_view (a room name from a frame or an
// announcement) without building a std::string for every lookup.
struct string_hash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

}  // namespace chatd::chat
