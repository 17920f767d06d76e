#include "store_fixture.hpp"

#include <chatd/store/db_pool.hpp>

#include <sys/socket.h>
#include <netinet/in.h>
#include <unistd.h>

#include <atomic>
#include <map>
#include <numeric>
#include <optional>
#include <thread>

namespace chatd::store::testing {
namespace {

using namespace std::chrono_literals;

// What the observer saw, in order.
class observations {
 public:
  struct wait {
    db_queue queue;
    double seconds;
    bool expired;
  };

  db_observer observer() {
    return {.query = [this](std::string_view operation, double seconds, db_status status) {
              std::lock_guard lock(mutex_);
              EXPECT_GE(seconds, 0.0);
              seen_.emplace_back(std::string(operation), status);
            },
            .waited = [this](db_queue queue, double seconds, bool expired) {
              std::lock_guard lock(mutex_);
              EXPECT_GE(seconds, 0.0);
              waits_.push_back({queue, seconds, expired});
            }};
  }
  std::vector<wait> waits(db_queue queue) {
    std::lock_guard lock(mutex_);
    std::vector<wait> out;
    std::copy_if(waits_.begin(), waits_.end(), std::back_inserter(out), [&](wait const& w) { return w.queue == queue; });
    return out;
  }
  int count(std::string_view operation, db_status status) {
    std::lock_guard lock(mutex_);
    return static_cast<int>(std::count(seen_.begin(), seen_.end(), std::make_pair(std::string(operation), status)));
  }
  std::vector<std::string> operations_except_pings() {
    std::lock_guard lock(mutex_);
    std::vector<std::string> out;
    for (auto const& [op, status] : seen_) {
      if (op != "ping") {
        out.push_back(op);
      }
    }
    return out;
  }

 private:
  std::mutex mutex_;
  std::vector<std::pair<std::string, db_status>> seen_;
  std::vector<wait> waits_;
};

// One result per store() call; a second result for the same call fails the test.
struct store_results {
  explicit store_results(std::size_t n) : status(n), rows(n), calls(n) {}

  db_pool::store_callback callback(std::size_t i) {
    return [this, i](db_status s, stored_message const* row) {
      {
        std::lock_guard lock(mutex);
        ++calls[i];
        status[i] = s;
        if (row != nullptr) {
          rows[i] = *row;
          order.push_back(i);
        }
        EXPECT_EQ(s == db_status::ok, row != nullptr);
      }
      done.add();
    };
  }
  void expect_each_called_once() {
    std::lock_guard lock(mutex);
    for (std::size_t i = 0; i < calls.size(); ++i) {
      EXPECT_EQ(calls[i], 1) << "store callback " << i;
    }
  }

  std::mutex mutex;
  std::vector<db_status> status;
  std::vector<stored_message> rows;
  std::vector<int> calls;
  std::vector<std::size_t> order;  // indices of successful stores, in callback order
  completions done;
};

class store_db_pool : public store_test {
 protected:
  void SetUp() override {
    store_test::SetUp();
    author_ = make_guest("ann");
  }

  db_pool_options options(int connections = 1) {
    db_pool_options o;
    o.database_url = db_.url();
    o.connections = connections;
    o.ping_interval = 50ms;
    o.max_backoff = 200ms;
    return o;
  }

  new_message message(std::string room, std::string client_id, std::string text = "hi") {
    return new_message{std::move(room), author_.id, std::move(client_id), std::move(text)};
  }

  // Occupies the worker that serves `key` until the returned gate opens.
  std::shared_ptr<gate> block(db_pool& pool, std::string const& key) {
    auto g = std::make_shared<gate>();
    auto started = std::make_shared<completions>();
    pool.submit(key, "block", [g, started](repository&) { started->add(); g->wait(); },
                [](db_status s) { ADD_FAILURE() << "the blocking job failed: " << static_cast<int>(s); });
    EXPECT_TRUE(started->wait_for(1));
    return g;
  }

  user author_;
};

TEST_F(store_db_pool, stores_messages_and_runs_jobs) {
  observations seen;
  db_pool pool(options(2), seen.observer());
  store_results results(1);
  pool.store(message("r", "c1", "hello"), results.callback(0));
  ASSERT_TRUE(results.done.wait_for(1));
  EXPECT_EQ(results.status[0], db_status::ok);
  EXPECT_EQ(results.rows[0].msg.seq, 1);
  EXPECT_EQ(results.rows[0].msg.text, "hello");
  EXPECT_EQ(results.rows[0].msg.author.id, author_.id);

  completions ran;
  std::int64_t last_seq = -1;
  pool.submit("r", "history", [&](repository& r) { last_seq = r.last_seq("r"); ran.add(); },
              [](db_status) { ADD_FAILURE() << "job failed"; });
  ASSERT_TRUE(ran.wait_for(1));
  EXPECT_EQ(last_seq, 1);
  EXPECT_TRUE(eventually([&] { return pool.healthy(); }));
  EXPECT_EQ(seen.count("insert_batch", db_status::ok), 1);
  EXPECT_TRUE(eventually([&] { return seen.count("history", db_status::ok) == 1; }));
  results.expect_each_called_once();
}

TEST_F(store_db_pool, waiting_stores_are_written_in_few_transactions) {
  observations seen;
  auto o = options();
  o.max_batch = 100;
  db_pool pool(o, seen.observer());
  auto const g = block(pool, "r");
  constexpr std::size_t n = 350;
  store_results results(n);
  for (std::size_t i = 0; i < n; ++i) {
    pool.store(message("r", "c" + std::to_string(i)), results.callback(i));
  }
  g->open();
  ASSERT_TRUE(results.done.wait_for(n));
  results.expect_each_called_once();
  // 350 waiting stores with max_batch 100: four transactions, not 350.
  EXPECT_EQ(seen.count("insert_batch", db_status::ok), 4);
  for (std::size_t i = 0; i < n; ++i) {
    EXPECT_EQ(results.status[i], db_status::ok);
    EXPECT_EQ(results.rows[i].msg.seq, static_cast<std::int64_t>(i + 1));
    EXPECT_EQ(results.rows[i].client_id, "c" + std::to_string(i));
  }
  // Callbacks run in input order.
  EXPECT_TRUE(std::is_sorted(results.order.begin(), results.order.end()));
}

TEST_F(store_db_pool, a_job_waits_for_at_most_one_batch) {
  observations seen;
  auto o = options();
  o.max_batch = 10;
  db_pool pool(o, seen.observer());
  auto const g = block(pool, "r");
  store_results results(40);
  for (std::size_t i = 0; i < 40; ++i) {
    pool.store(message("r", "c" + std::to_string(i)), results.callback(i));
  }
  completions ran;
  pool.submit("r", "history", [&](repository&) { ran.add(); }, [](db_status) { ADD_FAILURE(); });
  g->open();
  ASSERT_TRUE(results.done.wait_for(40));
  ASSERT_TRUE(ran.wait_for(1));
  std::vector<std::string> const want{"block", "insert_batch", "history", "insert_batch", "insert_batch",
                                      "insert_batch"};
  EXPECT_EQ(seen.operations_except_pings(), want);
}

TEST_F(store_db_pool, with_two_connections_a_busy_job_does_not_hold_up_stores) {
  db_pool pool(options(2), {});
  auto const g = block(pool, "r");
  store_results results(3);
  for (std::size_t i = 0; i < 3; ++i) {
    pool.store(message("r", "c" + std::to_string(i)), results.callback(i));
  }
  EXPECT_TRUE(results.done.wait_for(3));  // while the job on the other worker still waits
  g->open();
  results.expect_each_called_once();
  EXPECT_EQ(results.rows[2].msg.seq, 3);
}

TEST_F(store_db_pool, work_that_waited_too_long_fails_without_running) {
  observations seen;
  auto o = options();
  o.max_wait = 200ms;
  db_pool pool(o, seen.observer());
  auto const g = block(pool, "r");
  store_results results(2);
  pool.store(message("r", "c0"), results.callback(0));
  std::atomic<bool> ran{false};
  completions failed;
  pool.submit("r", "history", [&](repository&) { ran = true; }, [&](db_status s) {
    EXPECT_EQ(s, db_status::unavailable);
    failed.add();
  });
  std::this_thread::sleep_for(400ms);  // past max_wait, while the worker is held
  g->open();
  ASSERT_TRUE(results.done.wait_for(1));
  ASSERT_TRUE(failed.wait_for(1));
  EXPECT_EQ(results.status[0], db_status::unavailable);
  EXPECT_FALSE(ran);
  EXPECT_EQ(query("select count(*) from messages"), "0");
  // What is queued afresh runs as usual.
  pool.store(message("r", "c1"), results.callback(1));
  ASSERT_TRUE(results.done.wait_for(2));
  EXPECT_EQ(results.status[1], db_status::ok);
  EXPECT_EQ(results.rows[1].msg.seq, 1);
  EXPECT_EQ(seen.count("insert_batch", db_status::ok), 1);
  results.expect_each_called_once();
  // Each request's wait was observed as it left its queue: the held ones past max_wait, the
  // fresh store well within it.
  auto const stores = seen.waits(db_queue::store);
  ASSERT_EQ(stores.size(), 2U);
  EXPECT_TRUE(stores[0].expired);
  EXPECT_GE(stores[0].seconds, 0.2);
  EXPECT_FALSE(stores[1].expired);
  EXPECT_LE(stores[1].seconds, 0.2);
  auto const jobs = seen.waits(db_queue::job);
  ASSERT_EQ(jobs.size(), 2U);  // the job that held the worker, then the history read
  EXPECT_FALSE(jobs[0].expired);
  EXPECT_TRUE(jobs[1].expired);
  EXPECT_GE(jobs[1].seconds, 0.2);
}

TEST_F(store_db_pool, jobs_with_one_key_run_in_submission_order) {
  db_pool pool(options(4), {});
  constexpr int keys = 8;
  constexpr int per_key = 50;
  std::mutex mutex;
  std::map<int, std::vector<int>> runs;
  completions done;
  for (int i = 0; i < per_key; ++i) {
    for (int k = 0; k < keys; ++k) {
      pool.submit("room-" + std::to_string(k), "history",
                  [&, k, i](repository&) {
                    std::lock_guard lock(mutex);
                    runs[k].push_back(i);
                    done.add();
                  },
                  [](db_status) { ADD_FAILURE(); });
    }
  }
  ASSERT_TRUE(done.wait_for(keys * per_key));
  for (int k = 0; k < keys; ++k) {
    std::vector<int> want(per_key);
    std::iota(want.begin(), want.end(), 0);
    EXPECT_EQ(runs[k], want) << "key " << k;
  }
}

TEST_F(store_db_pool, stores_to_one_room_get_seqs_in_submission_order) {
  db_pool pool(options(4), {});
  constexpr std::size_t n = 300;
  store_results results(n);
  for (std::size_t i = 0; i < n; ++i) {
    auto const room = i % 3 == 0 ? "a" : "b";
    pool.store(message(room, "c" + std::to_string(i)), results.callback(i));
  }
  ASSERT_TRUE(results.done.wait_for(n));
  results.expect_each_called_once();
  std::int64_t last_a = 0;
  std::int64_t last_b = 0;
  for (std::size_t i = 0; i < n; ++i) {
    ASSERT_EQ(results.status[i], db_status::ok);
    auto& last = i % 3 == 0 ? last_a : last_b;
    EXPECT_EQ(results.rows[i].msg.seq, last + 1);
    last = results.rows[i].msg.seq;
  }
  EXPECT_EQ(last_a, 100);
  EXPECT_EQ(last_b, 200);
}

TEST_F(store_db_pool, a_full_queue_refuses_at_once_on_the_calling_thread) {
  auto o = options();
  o.queue_limit = 3;
  db_pool pool(o, {});
  auto const g = block(pool, "r");
  completions ran;
  for (int i = 0; i < 2; ++i) {
    pool.submit("r", "history", [&](repository&) { ran.add(); }, [](db_status) { ADD_FAILURE(); });
  }
  store_results queued(1);
  pool.store(message("r", "c-queued"), queued.callback(0));

  auto const caller = std::this_thread::get_id();
  std::optional<db_status> refused_job;
  std::thread::id refused_on;
  pool.submit("r", "history", [](repository&) { ADD_FAILURE() << "ran past the queue limit"; },
              [&](db_status s) {
                refused_job = s;
                refused_on = std::this_thread::get_id();
              });
  ASSERT_TRUE(refused_job.has_value()) << "the refusal must be synchronous";
  EXPECT_EQ(*refused_job, db_status::unavailable);
  EXPECT_EQ(refused_on, caller);

  std::optional<db_status> refused_store;
  pool.store(message("r", "c-refused"), [&](db_status s, stored_message const* row) {
    refused_store = s;
    EXPECT_EQ(row, nullptr);
  });
  ASSERT_TRUE(refused_store.has_value());
  EXPECT_EQ(*refused_store, db_status::unavailable);

  g->open();
  ASSERT_TRUE(ran.wait_for(2));
  ASSERT_TRUE(queued.done.wait_for(1));
  EXPECT_EQ(queued.status[0], db_status::ok);
  EXPECT_EQ(queued.rows[0].msg.seq, 1);
  // The refused message was never stored.
  EXPECT_EQ(query("select count(*) from messages"), "1");
}

TEST_F(store_db_pool, a_bad_message_fails_alone) {
  observations seen;
  db_pool pool(options(), seen.observer());
  auto const g = block(pool, "r");
  constexpr std::size_t n = 6;
  store_results results(n);
  for (std::size_t i = 0; i < n; ++i) {
    auto m = message("r", "c" + std::to_string(i), "fine");
    if (i == 2) {
      m.text = "\xff not utf-8";
    }
    if (i == 4) {
      m.user_id = "u_000000000000000000000000";  // no such author
    }
    pool.store(std::move(m), results.callback(i));
  }
  g->open();
  ASSERT_TRUE(results.done.wait_for(n));
  results.expect_each_called_once();
  EXPECT_EQ(results.status[2], db_status::failed);
  EXPECT_EQ(results.status[4], db_status::failed);
  std::vector<std::int64_t> seqs;
  for (std::size_t i : {0U, 1U, 3U, 5U}) {
    ASSERT_EQ(results.status[i], db_status::ok) << i;
    seqs.push_back(results.rows[i].msg.seq);
  }
  EXPECT_EQ(seqs, (std::vector<std::int64_t>{1, 2, 3, 4}));
  // One failed batch, then each message alone.
  EXPECT_EQ(seen.count("insert_batch", db_status::failed), 3);
  EXPECT_EQ(seen.count("insert_batch", db_status::ok), 4);
  // Bad data is not an outage.
  EXPECT_TRUE(pool.healthy());
}

TEST_F(store_db_pool, a_throwing_job_reports_failure_once) {
  observations seen;
  db_pool pool(options(), seen.observer());
  std::vector<db_status> failures;
  completions done;
  pool.submit("k", "profile", [](repository& r) { r.update_profile("u_x", std::string("a\0b", 3), "ring:a"); },
              [&](db_status s) {
                failures.push_back(s);
                done.add();
              });
  pool.submit("k", "guest", [](repository&) { throw std::runtime_error("bug in a job"); },
              [&](db_status s) {
                failures.push_back(s);
                done.add();
              });
  ASSERT_TRUE(done.wait_for(2));
  EXPECT_EQ(failures, (std::vector<db_status>{db_status::failed, db_status::failed}));
  EXPECT_EQ(seen.count("profile", db_status::failed), 1);
  EXPECT_EQ(seen.count("guest", db_status::failed), 1);
}

int closed_port() {
  int const fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  socklen_t len = sizeof addr;
  EXPECT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  ::close(fd);  // bound but never listening: connections to it are refused
  return ntohs(addr.sin_port);
}

TEST(store_db_pool_down, a_database_that_is_not_there_fails_jobs_fast) {
  observations seen;
  db_pool_options o;
  o.database_url = "postgresql://postgres@127.0.0.1:" + std::to_string(closed_port()) + "/chatd";
  o.connections = 2;
  o.max_backoff = 10s;
  db_pool pool(o, seen.observer());
  EXPECT_TRUE(eventually([&] { return seen.count("ping", db_status::unavailable) >= 2; }));
  EXPECT_FALSE(pool.healthy());

  auto const start = std::chrono::steady_clock::now();
  completions done;
  std::atomic<int> unavailable{0};
  for (int i = 0; i < 50; ++i) {
    pool.submit("k" + std::to_string(i), "history", [](repository&) { ADD_FAILURE() << "ran without a database"; },
                [&](db_status s) {
                  unavailable += s == db_status::unavailable;
                  done.add();
                });
    pool.store(new_message{"r" + std::to_string(i), "u_000000000000000000000000", "c", "x"},
               [&](db_status s, stored_message const* row) {
                 unavailable += s == db_status::unavailable && row == nullptr;
                 done.add();
               });
  }
  ASSERT_TRUE(done.wait_for(100));
  EXPECT_EQ(unavailable.load(), 100);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
  pool.stop();
}

TEST_F(store_db_pool, recovers_after_the_database_comes_back) {
  observations seen;
  db_pool pool(options(2), seen.observer());
  ASSERT_TRUE(eventually([&] { return pool.healthy(); }));
  repo_.reset();  // so that only the pool's sessions are left

  // The database goes away: sessions are cut and new ones refused.
  db_.allow_connections(false);
  EXPECT_EQ(db_.terminate_connections(), 2);

  store_results during(20);
  auto const start = std::chrono::steady_clock::now();
  for (std::size_t i = 0; i < 20; ++i) {
    pool.store(message("room-" + std::to_string(i % 4), "down-" + std::to_string(i)), during.callback(i));
  }
  ASSERT_TRUE(during.done.wait_for(20));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
  during.expect_each_called_once();
  for (auto s : during.status) {
    EXPECT_EQ(s, db_status::unavailable);
  }
  EXPECT_TRUE(eventually([&] { return !pool.healthy(); }));

  db_.allow_connections(true);
  EXPECT_EQ(query("select count(*) from messages"), "0");
  ASSERT_TRUE(eventually([&] { return pool.healthy(); }));
  store_results after(20);
  for (std::size_t i = 0; i < 20; ++i) {
    // The same client_ids as before: a client retrying after `unavailable`.
    pool.store(message("room-" + std::to_string(i % 4), "down-" + std::to_string(i)), after.callback(i));
  }
  ASSERT_TRUE(after.done.wait_for(20));
  after.expect_each_called_once();
  for (std::size_t i = 0; i < 20; ++i) {
    EXPECT_EQ(after.status[i], db_status::ok);
    EXPECT_FALSE(after.rows[i].duplicate);
    EXPECT_EQ(after.rows[i].msg.seq, static_cast<std::int64_t>(i / 4 + 1));
  }
}

TEST_F(store_db_pool, a_terminated_session_fails_its_job_and_the_next_one_reconnects) {
  db_pool pool(options(), {});
  ASSERT_TRUE(eventually([&] { return pool.healthy(); }));
  repo_.reset();
  EXPECT_EQ(db_.terminate_connections(), 1);
  // The first job may find the dead session (unavailable) or a new one; the second always runs.
  completions done;
  std::vector<db_status> statuses;
  std::mutex mutex;
  for (int i = 0; i < 2; ++i) {
    pool.submit("k", "history",
                [&](repository& r) {
                  r.last_seq("r");
                  std::lock_guard lock(mutex);
                  statuses.push_back(db_status::ok);
                  done.add();
                },
                [&](db_status s) {
                  std::lock_guard lock(mutex);
                  statuses.push_back(s);
                  done.add();
                });
  }
  ASSERT_TRUE(done.wait_for(2));
  EXPECT_NE(statuses[0], db_status::failed);
  EXPECT_EQ(statuses[1], db_status::ok);
  EXPECT_TRUE(eventually([&] { return pool.healthy(); }));
}

TEST_F(store_db_pool, idle_workers_ping) {
  observations seen;
  auto o = options(2);
  o.ping_interval = 20ms;
  db_pool pool(o, seen.observer());
  EXPECT_TRUE(eventually([&] { return seen.count("ping", db_status::ok) >= 6; }));
  EXPECT_TRUE(pool.healthy());
}

TEST_F(store_db_pool, stop_finishes_queued_work_then_refuses) {
  auto pool = std::make_unique<db_pool>(options(), db_observer{});
  auto const g = block(*pool, "r");
  constexpr std::size_t n = 10;
  store_results stored(n);
  completions ran;
  for (std::size_t i = 0; i < n; ++i) {
    pool->store(message("r", "c" + std::to_string(i)), stored.callback(i));
    pool->submit("r", "history", [&](repository&) { ran.add(); }, [](db_status) { ADD_FAILURE(); });
  }
  std::thread stopper([&] { pool->stop(); });
  // stop() must wait for the queued work, which cannot start until the gate opens.
  g->open();
  stopper.join();
  EXPECT_EQ(ran.count(), static_cast<int>(n));
  EXPECT_EQ(stored.done.count(), static_cast<int>(n));
  stored.expect_each_called_once();
  for (std::size_t i = 0; i < n; ++i) {
    EXPECT_EQ(stored.status[i], db_status::ok);
  }
  EXPECT_FALSE(pool->healthy());

  std::optional<db_status> late_job;
  pool->submit("r", "history", [](repository&) { ADD_FAILURE() << "ran after stop"; },
               [&](db_status s) { late_job = s; });
  ASSERT_TRUE(late_job.has_value());
  EXPECT_EQ(*late_job, db_status::unavailable);
  std::optional<db_status> late_store;
  pool->store(message("r", "late"), [&](db_status s, stored_message const*) { late_store = s; });
  ASSERT_TRUE(late_store.has_value());
  EXPECT_EQ(*late_store, db_status::unavailable);

  pool->stop();  // a second stop is harmless
  pool.reset();  // and so is the destructor's
  EXPECT_EQ(query("select count(*) from messages"), std::to_string(n));
}

// Two pools stand for two chatd processes writing to one room at the same time.
TEST_F(store_db_pool, pools_in_parallel_keep_one_rooms_seqs_contiguous) {
  observations seen;
  db_pool first(options(2), seen.observer());
  db_pool second(options(2), seen.observer());
  constexpr std::size_t per_thread = 250;
  constexpr std::size_t threads = 4;
  store_results results(per_thread * threads);
  std::vector<std::thread> writers;
  for (std::size_t t = 0; t < threads; ++t) {
    writers.emplace_back([&, t] {
      auto& pool = t % 2 == 0 ? first : second;
      for (std::size_t i = 0; i < per_thread; ++i) {
        auto const index = t * per_thread + i;
        pool.store(message("hot", "c" + std::to_string(index)), results.callback(index));
      }
    });
  }
  for (auto& w : writers) {
    w.join();
  }
  ASSERT_TRUE(results.done.wait_for(per_thread * threads));
  results.expect_each_called_once();
  std::vector<std::int64_t> seqs;
  for (std::size_t i = 0; i < results.rows.size(); ++i) {
    ASSERT_EQ(results.status[i], db_status::ok);
    seqs.push_back(results.rows[i].msg.seq);
  }
  std::sort(seqs.begin(), seqs.end());
  std::vector<std::int64_t> want(per_thread * threads);
  std::iota(want.begin(), want.end(), 1);
  EXPECT_EQ(seqs, want);
  EXPECT_LT(seen.count("insert_batch", db_status::ok), static_cast<int>(per_thread * threads));
}

TEST(store_db_pool_options, bad_settings_are_refused_with_a_clear_error) {
  db_pool_options o;
  o.database_url = "postgresql:///unused";
  o.connections = 0;
  EXPECT_THROW(db_pool(o, db_observer{}), std::invalid_argument);
  o.connections = 1;
  o.max_batch = 0;
  EXPECT_THROW(db_pool(o, db_observer{}), std::invalid_argument);
  o.max_batch = 1;
  o.queue_limit = 0;
  EXPECT_THROW(db_pool(o, db_observer{}), std::invalid_argument);
  o.queue_limit = 1;
  o.ping_interval = 0ms;
  EXPECT_THROW(db_pool(o, db_observer{}), std::invalid_argument);
  o.ping_interval = 1000ms;
  o.max_wait = 0ms;
  EXPECT_THROW(db_pool(o, db_observer{}), std::invalid_argument);
}

}  // namespace
}  // namespace chatd::store::testing
