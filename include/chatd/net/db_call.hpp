#pragma once

#include <chatd/store/db_pool.hpp>

#include <boost/asio/post.hpp>

#include <memory>
#include <optional>
#include <string_view>
#include <utility>

namespace chatd::net {

// Runs `work(repository&) -> Result` on a database worker and calls
// `done(db_status, std::optional<Result>)` on `executor` (a session's strand), so the caller never
// blocks and never touches its state from a worker thread.
template <class Result, class Executor, class Work, class Done>
void db_call(store::db_pool& db, Executor executor, std::string_view key, std::string_view operation, Work work, Done done) {
  auto shared_done = std::make_shared<Done>(std::move(done));
  db.submit(
      key, operation,
      [executor, work = std::move(work), shared_done](store::repository& repo) {
        std::optional<Result> result(work(repo));
        boost::asio::post(executor, [shared_done, result = std::move(result)]() mutable {
          (*shared_done)(store::db_status::ok, std::move(result));
        });
      },
      [executor, shared_done](store::db_status status) {
        boost::asio::post(executor, [shared_done, status] { (*shared_done)(status, std::optional<Result>{}); });
      });
}

}  // namespace chatd::net
