#pragma once

#include <string>
#include <string_view>

namespace chatd::store::detail {

// A new guest id: "u_" and 24 hex characters (96 bits) from OpenSSL's CSPRNG, so ids are neither
// guessable nor enumerable. Throws std::runtime_error if the CSPRNG fails.
std::string new_user_id();

// Lower-case hex of arbitrary bytes.
std::string hex_encode(std::string_view bytes);

}  // namespace chatd::store::detail
