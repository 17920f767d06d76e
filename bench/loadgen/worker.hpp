#pragma once

#include "client.hpp"
#include "run_context.hpp"
#include "run_stats.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <cstdint>
#include <memory>
#include <thread>
#include <vector>

namespace chatd::bench {

// One client thread: its own io_context (run by that thread alone), its share of the clients, a
// connect ramp and an open-loop send pacer. The pacer works from elapsed time, not from replies:
// if chatd slows down the messages keep coming, and the latency shows it.
class worker {
 public:
  explicit worker(run_context& ctx);
  ~worker();
  worker(worker const&) = delete;
  worker& operator=(worker const&) = delete;

  void add(client::identity id, boost::asio::ip::tcp::endpoint target, std::string host_header);
  std::size_t clients() const { return clients_.size(); }
  std::size_t senders() const { return senders_.size(); }

  // Starts the thread: connections at `connect_rate` per second, then `send_rate` messages per
  // second from this worker's senders between the run's send start and measure end.
  void start(double connect_rate, double send_rate);
  // Stops the io_context and joins the thread; stats() is safe to read afterwards.
  void stop();
  run_stats const& stats() const { return stats_; }

 private:
  void connect_tick();
  void send_tick();

  // How often the timers fire: fine enough that a 1 ms tick pacing evens out sends within a
  // millisecond, coarse enough to cost nothing next to the sockets.
  static constexpr auto connect_period = std::chrono::milliseconds(10);
  static constexpr auto send_period = std::chrono::milliseconds(1);

  run_context& ctx_;
  run_stats stats_;  // declared before the io_context: clients still queued in it refer to it
  boost::asio::io_context ioc_{1};
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard_;
  boost::asio::steady_timer connect_timer_;
  boost::asio::steady_timer send_timer_;
  std::vector<std::shared_ptr<client>> clients_;
  std::vector<client*> senders_;
  std::thread thread_;
  double connect_rate_ = 0;
  double send_rate_ = 0;
  std::int64_t connect_start_ns_ = 0;
  std::size_t started_ = 0;
  std::uint64_t scheduled_ = 0;
  std::size_t next_sender_ = 0;
};

}  // namespace chatd::bench
