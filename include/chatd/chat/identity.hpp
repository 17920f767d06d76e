#pragma once

#include <string>
#include <string_view>

// Guest identity: the secret token a browser keeps, what the database keeps of it, and the
// generated nickname and avatar of a new guest.
namespace chatd::chat::identity {

constexpr std::size_t token_length = 43;  // 32 random bytes, base64url without padding

std::string new_token();
// SHA-256 of the token, hex. Only this is stored, so a database leak does not leak sessions.
std::string token_hash(std::string_view token);
bool plausible_token(std::string_view token);
std::string random_nickname();
std::string random_avatar();

}  // namespace chatd::chat::identity
