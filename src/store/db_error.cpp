#include "db_error.hpp"

#include <pqxx/except>

namespace chatd::store::detail {

namespace {

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

}  // namespace

db_status status_of_sqlstate(std::string_view sqlstate) {
  if (sqlstate.size() != 5) {
    return db_status::failed;
  }
  if (starts_with(sqlstate, "08")       // connection exception
      || starts_with(sqlstate, "53")    // insufficient resources: disk full, too many connections
      || starts_with(sqlstate, "57")    // operator intervention: cancel, admin or crash shutdown
      || starts_with(sqlstate, "40")    // transaction rollback: deadlock, serialization failure
      || sqlstate == "55P03"            // lock_not_available (lock_timeout)
      || starts_with(sqlstate, "58")) { // system error: I/O error on the server
    return db_status::unavailable;
  }
  return db_status::failed;
}

bool sqlstate_ends_session(std::string_view sqlstate) {
  return starts_with(sqlstate, "08") || sqlstate == "57P01" || sqlstate == "57P02" || sqlstate == "57P03";
}

db_error classify(std::exception const& e) {
  if (dynamic_cast<pqxx::broken_connection const*>(&e) != nullptr) {
    return {db_status::unavailable, true};
  }
  // The commit's outcome is unknown: the caller must not assume either; a retry with the same
  // client_id is safe because inserts are idempotent.
  if (dynamic_cast<pqxx::in_doubt_error const*>(&e) != nullptr) {
    return {db_status::unavailable, true};
  }
  if (dynamic_cast<pqxx::transaction_rollback const*>(&e) != nullptr) {
    return {db_status::unavailable, false};
  }
  if (auto const* sql = dynamic_cast<pqxx::sql_error const*>(&e)) {
    return {status_of_sqlstate(sql->sqlstate()), sqlstate_ends_session(sql->sqlstate())};
  }
  return {db_status::failed, false};
}

}  // namespace chatd::store::detail
