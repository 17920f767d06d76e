#pragma once

#include <span>
#include <string_view>

namespace chatd::store::detail {

struct migration {
  int version;            // from the file name's number; applied in ascending order, once
  std::string_view name;  // the file name without .sql, recorded for operators
  std::string_view sql;
};

// Every migration compiled into this binary, ascending by version (generated at build time).
std::span<migration const> migrations();

}  // namespace chatd::store::detail
