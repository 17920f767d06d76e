#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace chatd::store::detail {

// PostgreSQL array literals, so a whole batch travels as a few `unnest($n::text[])` parameters
// instead of one statement per row (libpqxx 6 has no array parameters of its own).
// Every element is double-quoted with `"` and `\` escaped, so commas, braces, quotes, spaces and
// the word NULL arrive verbatim. Strings must not contain NUL bytes (callers check).
std::string pg_array_literal(std::span<std::string const> values);
std::string pg_array_literal(std::span<std::int64_t const> values);

}  // namespace chatd::store::detail
