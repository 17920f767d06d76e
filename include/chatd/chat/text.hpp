#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

// Validation of the user-supplied strings of the wire contract. Each function returns the
// normalised value, or nullopt with `why` set to an explanation fit for an error frame.
namespace chatd::chat::text {

constexpr std::size_t max_message_code_points = 2000;
constexpr std::size_t max_nickname_code_points = 32;
constexpr std::size_t max_room_bytes = 200;
constexpr std::size_t max_client_id_bytes = 64;

// Number of code points, or nullopt when `s` is not valid UTF-8 (overlong forms, surrogates and
// values past U+10FFFF are invalid).
std::optional<std::size_t> utf8_length(std::string_view s);

std::optional<std::string> message(std::string_view raw, std::string& why);
std::optional<std::string> nickname(std::string_view raw, std::string& why);
bool valid_room(std::string_view room, std::string& why);
bool valid_avatar(std::string_view avatar);
bool valid_client_id(std::string_view id);

}  // namespace chatd::chat::text
