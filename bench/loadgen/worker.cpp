#include "worker.hpp"

#include <algorithm>
#include <cmath>

namespace chatd::bench {

namespace asio = boost::asio;

worker::worker(run_context& ctx)
    : ctx_(ctx), guard_(asio::make_work_guard(ioc_)), connect_timer_(ioc_), send_timer_(ioc_) {}

worker::~worker() { stop(); }

void worker::add(client::identity id, asio::ip::tcp::endpoint target, std::string host_header) {
  bool const sender = id.sender;
  clients_.push_back(std::make_shared<client>(ioc_, ctx_, stats_, std::move(id), target, std::move(host_header)));
  if (sender) {
    senders_.push_back(clients_.back().get());
  }
}

void worker::start(double connect_rate, double send_rate) {
  connect_rate_ = connect_rate;
  send_rate_ = send_rate;
  asio::post(ioc_, [this] {
    connect_start_ns_ = now_ns();
    connect_tick();
    if (!senders_.empty() && send_rate_ > 0) {
      send_tick();
    }
  });
  thread_ = std::thread([this] { ioc_.run(); });
}

void worker::stop() {
  if (!thread_.joinable()) {
    return;
  }
  ioc_.stop();
  thread_.join();
}

void worker::connect_tick() {
  auto const elapsed = static_cast<double>(now_ns() - connect_start_ns_) * 1e-9;
  auto const due = std::min(clients_.size(), static_cast<std::size_t>(elapsed * connect_rate_) + 1);
  for (; started_ < due; ++started_) {
    clients_[started_]->start();
  }
  if (started_ < clients_.size()) {
    connect_timer_.expires_after(connect_period);
    connect_timer_.async_wait([this](boost::system::error_code ec) {
      if (!ec) {
        connect_tick();
      }
    });
  }
}

void worker::send_tick() {
  auto const now = now_ns();
  auto const start = ctx_.send_start_ns.load(std::memory_order_relaxed);
  if (now >= ctx_.measure_end_ns.load(std::memory_order_relaxed)) {
    return;  // the window is over: the pacer stops for good
  }
  if (now >= start) {
    auto const due = static_cast<std::uint64_t>(static_cast<double>(now - start) * 1e-9 * send_rate_);
    if (due > scheduled_) {
      auto n = due - scheduled_;
      scheduled_ = due;
      // More than a second behind means the generator itself is starved of CPU; sending the
      // backlog in one burst would measure the burst, so the excess is dropped and counted.
      auto const cap = static_cast<std::uint64_t>(std::max(1.0, send_rate_));
      if (n > cap) {
        stats_.send_skipped += n - cap;
        n = cap;
      }
      for (; n > 0; --n) {
        bool sent = false;
        for (std::size_t tries = 0; tries < senders_.size() && !sent; ++tries) {
          auto* c = senders_[next_sender_];
          next_sender_ = (next_sender_ + 1) % senders_.size();
          sent = c->send_message();
        }
        if (!sent) {
          ++stats_.send_skipped;
        }
      }
    }
  }
  send_timer_.expires_after(send_period);
  send_timer_.async_wait([this](boost::system::error_code ec) {
    if (!ec) {
      send_tick();
    }
  });
}

}  // namespace chatd::bench
