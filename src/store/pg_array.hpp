#pragma once

#include <span>
#include <string>
#include <string_view>

namespace chatd::store::detail {

// PostgreSQL text array literals, so a whole batch travels as a few `text[]` parameters
// instead of one statement per row (libpqxx 6 has no array parameters of its own).
// Every element is double-quoted with `"` and `\` escaped, so commas, braces, quotes, spaces and
// the word NULL arrive verbatim. Strings must not contain NUL bytes (callers check).
std::string pg_array_literal(std::span<std::string_view const> values);

}  // namespace chatd::store::detail
