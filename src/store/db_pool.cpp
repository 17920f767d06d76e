#include <chatd/store/db_pool.hpp>

#include "backoff.hpp"
#include "db_error.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

namespace chatd::store {

namespace {

// The first reconnect delay after a failed attempt; it doubles up to db_pool_options::max_backoff.
constexpr std::chrono::milliseconds initial_backoff{50};

// More connections than this is a configuration mistake (PostgreSQL's default max_connections is
// 100, shared by every replica), not a tuning choice.
constexpr int max_connections = 256;

using clock = std::chrono::steady_clock;

struct store_request {
  new_message msg;
  db_pool::store_callback done;
  clock::time_point queued = clock::now();
};

struct job_request {
  std::string operation;
  db_pool::job work;
  db_pool::failure on_failure;
  clock::time_point queued = clock::now();
};

double seconds_since(clock::time_point start) {
  return std::chrono::duration<double>(clock::now() - start).count();
}

void validate(db_pool_options const& o) {
  if (o.connections < 1 || o.connections > max_connections) {
    throw std::invalid_argument("database pool: connections must be between 1 and " +
                                std::to_string(max_connections) + ", got " + std::to_string(o.connections));
  }
  if (o.queue_limit < 1) {
    throw std::invalid_argument("database pool: queue_limit must be at least 1");
  }
  if (o.max_batch < 1) {
    throw std::invalid_argument("database pool: max_batch must be at least 1");
  }
  if (o.ping_interval.count() <= 0) {
    throw std::invalid_argument("database pool: ping_interval must be positive");
  }
  if (o.max_backoff.count() <= 0) {
    throw std::invalid_argument("database pool: max_backoff must be positive");
  }
  if (o.max_wait.count() <= 0) {
    throw std::invalid_argument("database pool: max_wait must be positive");
  }
}

// One worker thread with its own connection and its own queues.
struct worker {
  explicit worker(db_pool_options const& options) : reconnect(initial_backoff, options.max_backoff) {}

  // mutex guards stores, jobs and stopping; the worker thread waits on `wake`.
  std::mutex mutex;
  std::condition_variable wake;
  std::deque<store_request> stores;
  std::deque<job_request> jobs;
  bool stopping = false;

  // Written by the worker thread, read by healthy() from any thread.
  std::atomic<bool> healthy{false};

  // Only the worker thread touches these.
  std::unique_ptr<repository> repo;
  detail::backoff reconnect;
  clock::time_point next_connect = clock::now();  // connect at once when the thread starts
  clock::time_point next_ping = clock::now();
  bool batch_turn = true;  // alternates batches and jobs, so neither starves the other

  std::thread thread;
};

}  // namespace

struct db_pool::impl {
  impl(db_pool_options o, db_observer obs) : options(std::move(o)), observer(std::move(obs)) {}

  db_pool_options options;
  db_observer observer;
  std::vector<std::unique_ptr<worker>> workers;
  std::mutex stop_mutex;  // serialises stop() calls, so threads are joined once

  // Stores go to the first half of the workers, by room, and jobs to the rest, by key (a pool of
  // one runs everything on its one worker), so a burst of sends never delays a join's history read
  // and the other way round. Why half: every writer's commit waits for its own WAL flush unless
  // another writer's flush happens to cover it, and on a disk that does a few hundred flushes a
  // second four writers were capped by their flushes; one writer, by the one core its database
  // session runs on. Two did best on two cores (docs/benchmarks.md).
  std::size_t writers() const { return std::max<std::size_t>(1, workers.size() / 2); }

  worker& writer_for(std::string_view room) {
    return *workers[std::hash<std::string_view>{}(room) % writers()];
  }

  worker& worker_for(std::string_view key) {
    if (workers.size() == 1) {
      return *workers.front();
    }
    auto const readers = workers.size() - writers();
    return *workers[writers() + std::hash<std::string_view>{}(key) % readers];
  }

  void observe(std::string_view operation, clock::time_point start, db_status status) {
    if (observer.query) {
      observer.query(operation, seconds_since(start), status);
    }
  }

  // Observes a request leaving its queue; true when it waited too long and must fail unrun.
  bool expired(db_queue queue, clock::time_point queued) {
    auto const waited = clock::now() - queued;
    bool const too_long = waited > options.max_wait;
    if (observer.waited) {
      observer.waited(queue, std::chrono::duration<double>(waited).count(), too_long);
    }
    return too_long;
  }

  // Returns true when the worker has a connection, connecting first when the backoff allows.
  // While it may not try yet, callers fail their work at once instead of waiting for the database.
  // `attempted` tells whether a connection attempt (a round trip worth observing) was made.
  bool ensure_connected(worker& w, bool& attempted) {
    attempted = false;
    if (w.repo) {
      return true;
    }
    if (clock::now() < w.next_connect) {
      return false;
    }
    attempted = true;
    try {
      w.repo = std::make_unique<repository>(options.database_url);
      w.reconnect.reset();
      return true;
    } catch (std::exception const&) {
      w.next_connect = clock::now() + w.reconnect.next();
      w.healthy = false;
      return false;
    }
  }

  void drop_connection(worker& w) {
    w.repo.reset();
    // The first attempt after a loss is immediate; the backoff only grows while attempts fail.
    w.next_connect = clock::now();
    w.healthy = false;
  }

  // Runs `f` against the connection and classifies what it threw.
  template <class F>
  db_status guarded(worker& w, F&& f) {
    try {
      f(*w.repo);
      return db_status::ok;
    } catch (std::exception const& e) {
      auto const error = detail::classify(e);
      if (error.connection_lost || !w.repo->connected()) {
        drop_connection(w);
        return db_status::unavailable;
      }
      return error.status;
    }
  }

  void record(worker& w, db_status status) {
    // A statement that fails on bad data still proves the database answers.
    if (w.repo) {
      w.healthy = status != db_status::unavailable;
    }
    w.next_ping = clock::now() + options.ping_interval;
  }

  void ping(worker& w) {
    auto const start = clock::now();
    auto status = db_status::unavailable;
    bool attempted = false;
    if (ensure_connected(w, attempted)) {
      status = guarded(w, [](repository& r) { r.ping(); });
    }
    observe("ping", start, status);
    w.healthy = status == db_status::ok;
    w.next_ping = clock::now() + options.ping_interval;
  }

  void run_job(worker& w, job_request& job) {
    if (expired(db_queue::job, job.queued)) {
      job.on_failure(db_status::unavailable);
      return;
    }
    auto const start = clock::now();
    if (bool attempted = false; !ensure_connected(w, attempted)) {
      if (attempted) {
        observe(job.operation, start, db_status::unavailable);
      }
      job.on_failure(db_status::unavailable);
      return;
    }
    auto const status = guarded(w, [&](repository& r) { job.work(r); });
    observe(job.operation, start, status);
    record(w, status);
    if (status != db_status::ok) {
      job.on_failure(status);
    }
  }

  // One insert_messages transaction; `rows` is filled on success.
  db_status insert(worker& w, std::span<new_message const> messages, std::vector<stored_message>& rows) {
    auto const start = clock::now();
    if (bool attempted = false; !ensure_connected(w, attempted)) {
      if (attempted) {
        observe("insert_batch", start, db_status::unavailable);
      }
      return db_status::unavailable;
    }
    auto const status = guarded(w, [&](repository& r) { rows = r.insert_messages(messages); });
    observe("insert_batch", start, status);
    record(w, status);
    return status;
  }

  void run_batch(worker& w, std::vector<store_request>& batch) {
    auto const stale = std::remove_if(batch.begin(), batch.end(), [&](store_request& r) {
      if (!expired(db_queue::store, r.queued)) {
        return false;
      }
      r.done(db_status::unavailable, nullptr);
      return true;
    });
    batch.erase(stale, batch.end());
    if (batch.empty()) {
      return;
    }
    std::vector<new_message> messages;
    messages.reserve(batch.size());
    for (auto& request : batch) {
      messages.push_back(std::move(request.msg));
    }
    std::vector<stored_message> rows;
    auto const status = insert(w, messages, rows);
    if (status == db_status::ok) {
      for (std::size_t i = 0; i < batch.size(); ++i) {
        batch[i].done(db_status::ok, &rows[i]);
      }
      return;
    }
    if (status == db_status::unavailable || batch.size() == 1) {
      for (auto& request : batch) {
        request.done(status, nullptr);
      }
      return;
    }
    // The statement failed on the data, and the whole transaction rolled back: store the messages
    // one by one so only the offending one fails.
    for (std::size_t i = 0; i < batch.size(); ++i) {
      std::vector<stored_message> row;
      auto const single = insert(w, std::span(&messages[i], 1), row);
      batch[i].done(single, single == db_status::ok ? &row.front() : nullptr);
    }
  }

  void run(worker& w) {
    for (;;) {
      std::vector<store_request> batch;
      std::optional<job_request> job;
      clock::time_point due;
      {
        std::unique_lock lock(w.mutex);
        // Idle, a connected worker pings; a disconnected one retries connecting when its backoff ends.
        due = w.repo ? w.next_ping : w.next_connect;
        w.wake.wait_until(lock, due, [&] { return w.stopping || !w.stores.empty() || !w.jobs.empty(); });
        if (w.stores.empty() && w.jobs.empty()) {
          if (w.stopping) {
            break;
          }
        } else {
          bool const take_batch = !w.stores.empty() && (w.batch_turn || w.jobs.empty());
          if (take_batch) {
            auto const n = std::min(w.stores.size(), options.max_batch);
            batch.reserve(n);
            for (std::size_t i = 0; i < n; ++i) {
              batch.push_back(std::move(w.stores.front()));
              w.stores.pop_front();
            }
          } else {
            job.emplace(std::move(w.jobs.front()));
            w.jobs.pop_front();
          }
          w.batch_turn = !take_batch;
        }
      }
      if (!batch.empty()) {
        run_batch(w, batch);
      } else if (job) {
        run_job(w, *job);
      } else if (clock::now() >= due) {
        ping(w);
      }
    }
    w.repo.reset();
    w.healthy = false;
  }

  // Queues under the worker's lock; returns false (and queues nothing) when stopping or full.
  template <class Push>
  bool enqueue(worker& w, Push&& push) {
    {
      std::lock_guard lock(w.mutex);
      if (w.stopping || w.stores.size() + w.jobs.size() >= options.queue_limit) {
        return false;
      }
      push(w);
    }
    w.wake.notify_one();
    return true;
  }
};

db_pool::db_pool(db_pool_options options, db_observer observer)
    : impl_(std::make_unique<impl>(std::move(options), std::move(observer))) {
  validate(impl_->options);
  for (int i = 0; i < impl_->options.connections; ++i) {
    impl_->workers.push_back(std::make_unique<worker>(impl_->options));
  }
  for (auto& w : impl_->workers) {
    w->thread = std::thread([this, raw = w.get()] { impl_->run(*raw); });
  }
}

db_pool::~db_pool() { stop(); }

void db_pool::submit(std::string_view key, std::string_view operation, job work, failure on_failure) {
  auto& w = impl_->worker_for(key);
  bool const queued = impl_->enqueue(w, [&](worker& target) {
    target.jobs.push_back(job_request{std::string(operation), std::move(work), std::move(on_failure)});
  });
  if (!queued) {
    on_failure(db_status::unavailable);
  }
}

void db_pool::store(new_message msg, store_callback done) {
  auto& w = impl_->writer_for(msg.room);
  bool const queued = impl_->enqueue(
      w, [&](worker& target) { target.stores.push_back(store_request{std::move(msg), std::move(done)}); });
  if (!queued) {
    done(db_status::unavailable, nullptr);
  }
}

bool db_pool::healthy() const {
  for (auto const& w : impl_->workers) {
    if (!w->healthy) {
      return false;
    }
  }
  return true;
}

void db_pool::stop() {
  std::lock_guard stop_lock(impl_->stop_mutex);
  for (auto& w : impl_->workers) {
    {
      std::lock_guard lock(w->mutex);
      w->stopping = true;
    }
    w->wake.notify_one();
  }
  for (auto& w : impl_->workers) {
    if (!w->thread.joinable()) {
      continue;
    }
    // A callback that stops its own pool would join itself: a bug that must not hang silently.
    if (w->thread.get_id() == std::this_thread::get_id()) {
      std::terminate();
    }
    w->thread.join();
  }
}

}  // namespace chatd::store
