#pragma once

#include <chatd/store/repository.hpp>
#include <chatd/store/types.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace chatd::store {

// What a caller learns when its job did not run to completion.
enum class db_status {
  ok,
  unavailable,  // no connection, connection lost, or the queue is full: retrying later may work
  failed,       // the statement itself failed (a bug or bad data): retrying will not help
};

// The two queues of a worker: messages to store, and jobs.
enum class db_queue { store, job };

// Observer for the database metrics of docs/metrics.md, called on worker threads (concurrently
// from several). Either function may be empty.
struct db_observer {
  // Once per attempt that reached the database: `insert_batch`, `ping` (a reconnect attempt counts
  // as one) or the job's operation name. Work refused without touching the database (full queue,
  // stopped pool, reconnect backoff, waited too long) is not observed here.
  std::function<void(std::string_view operation, double seconds, db_status status)> query;
  // Once per request a worker takes from a queue: how long it waited there, and whether that was
  // longer than max_wait, so that it failed unrun. Under load the waiting grows before the queries
  // slow down.
  std::function<void(db_queue queue, double seconds, bool expired)> waited;
};

struct db_pool_options {
  std::string database_url;
  int connections = 4;                          // one worker thread per connection
  std::size_t queue_limit = 20000;              // jobs waiting per worker before submit refuses
  std::size_t max_batch = 512;                  // messages stored in one transaction at most
  std::chrono::milliseconds ping_interval{2000};  // idle workers ping this often (readiness)
  std::chrono::milliseconds max_backoff{5000};  // reconnect attempts back off up to this
  // A request that waited longer than this in its queue fails with `unavailable` without running:
  // its client has likely given up, and under a storm old work would only delay the new.
  std::chrono::milliseconds max_wait{5000};
};

// A fixed pool of worker threads, each owning one repository (one libpqxx connection), so blocking
// database work never runs on io_context threads. Callbacks run on the worker thread: callers post
// the result back to their own executor. Half the workers store messages (at least one): a room's
// stores all go to the same one, which drains what has queued into one transaction, so a room's
// messages are stored in submission order. The other workers run jobs; jobs with the same key run
// on the same worker in submission order. (A pool of one runs both on its one worker, alternating
// one batch and one job, and keeps stores in order among stores and jobs among jobs.)
// A refusal (full queue, stopped pool) calls the callback at once on the calling thread, so
// callbacks must not take locks the caller holds while submitting. A worker that lost its
// connection reconnects with backoff and meanwhile fails its jobs at once with `unavailable`.
// Callbacks must not throw, and must not call stop().
class db_pool {
 public:
  using job = std::function<void(repository&)>;
  using failure = std::function<void(db_status)>;
  using store_callback = std::function<void(db_status, stored_message const*)>;

  db_pool(db_pool_options options, db_observer observer);
  ~db_pool();  // stop()s
  db_pool(db_pool const&) = delete;
  db_pool& operator=(db_pool const&) = delete;

  // Runs `work` with a connected repository on the worker chosen by `key`. If the worker is not
  // connected, the queue is full or `work` throws, `on_failure` gets the status instead (exactly
  // one of the two completes). `operation` names the job for metrics.
  void submit(std::string_view key, std::string_view operation, job work, failure on_failure);

  // Queues a message for batched storing on its room's writer: it drains every store request
  // waiting (up to max_batch) into one insert_messages transaction. `done` gets (ok, row) after the
  // commit, or (unavailable|failed, nullptr).
  void store(new_message msg, store_callback done);

  // True while the latest operation or ping on every worker succeeded. A statement that failed on
  // bad data (`failed`) still proves the database answers and keeps the worker healthy. False until
  // each worker's first ping (sent as soon as the pool starts) and after stop().
  bool healthy() const;

  // Finishes the jobs already queued, then joins the workers. Later submits fail with unavailable.
  void stop();

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace chatd::store
