#include "load_run.hpp"

#include "metrics_scraper.hpp"
#include "run_context.hpp"
#include "worker.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <unistd.h>

#include <chrono>
#include <ctime>
#include <fstream>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <thread>

namespace chatd::bench {

namespace asio = boost::asio;

namespace {

// How often the controller looks at the counters while clients connect.
constexpr auto poll_period = std::chrono::milliseconds(50);
constexpr auto progress_period = std::chrono::seconds(5);

std::vector<asio::ip::tcp::endpoint> resolve(std::vector<endpoint> const& replicas) {
  asio::io_context ioc;
  asio::ip::tcp::resolver resolver(ioc);
  std::vector<asio::ip::tcp::endpoint> out;
  for (auto const& r : replicas) {
    boost::system::error_code ec;
    auto results = resolver.resolve(r.host, std::to_string(r.port), ec);
    if (ec || results.empty()) {
      throw std::runtime_error("cannot resolve " + r.to_string() + ": " + ec.message());
    }
    out.push_back(results.begin()->endpoint());
  }
  return out;
}

std::string utc_now() {
  auto const t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string a, b, c;
  in >> a >> b >> c;
  return a + " " + b + " " + c;
}

void sleep_for(std::chrono::duration<double> d) {
  std::this_thread::sleep_for(std::chrono::duration_cast<std::chrono::nanoseconds>(d));
}

}  // namespace

run_result load_run::execute() {
  auto const targets = resolve(opts_.replicas);
  run_context ctx(opts_);
  run_result result;
  result.opts = opts_;
  result.started_utc = utc_now();
  result.load_average = load_average();
  result.replicas.resize(opts_.metrics.size());

  auto scrape_all = [&](replica_samples::metrics replica_samples::*when) {
    for (std::size_t i = 0; i < opts_.metrics.size(); ++i) {
      result.replicas[i].*when = metrics_scraper::scrape(opts_.metrics[i]);
    }
  };
  // The generator watches itself too: when it runs out of CPU, the latency it reports is its own.
  auto watched = opts_.watch;
  watched.push_back({"loadgen", static_cast<int>(getpid())});
  auto sample_watched = [&](std::optional<process_sample> watch_samples::*when) {
    for (auto const& w : watched) {
      result.watch[w.name].*when = process_sampler::sample(w.pid);
    }
  };
  auto say = [&](std::string const& line) {
    if (!opts_.quiet) {
      std::cerr << "chatd_loadgen[" << opts_.scenario << "]: " << line << std::endl;
    }
  };

  // Dealing: room = i % rooms; within a room the k-th member (k = i / rooms) goes to replica
  // k % replicas, so every room is split evenly over the replicas; the first senders_per_room
  // members of each room send. Threads take clients in turn.
  std::vector<std::unique_ptr<worker>> workers;
  for (std::size_t t = 0; t < opts_.threads; ++t) {
    workers.push_back(std::make_unique<worker>(ctx));
  }
  for (std::size_t i = 0; i < opts_.clients; ++i) {
    auto const room = i % opts_.rooms;
    auto const member = i / opts_.rooms;
    auto const replica = member % targets.size();
    client::identity id{i, opts_.room_prefix + "-" + std::to_string(room), static_cast<int>(replica),
                        !opts_.idle && member < opts_.senders_per_room, opts_.members_of(room)};
    workers[i % opts_.threads]->add(std::move(id), targets[replica], opts_.replicas[replica].to_string());
  }

  scrape_all(&replica_samples::before);
  auto const senders = static_cast<double>(opts_.senders());
  auto const connect_began = std::chrono::steady_clock::now();
  for (auto& w : workers) {
    auto const share = static_cast<double>(w->clients()) / static_cast<double>(opts_.clients);
    auto const send_share = senders > 0 ? static_cast<double>(w->senders()) / senders : 0.0;
    w->start(opts_.ramp * share, opts_.idle ? 0.0 : opts_.rate * send_share);
  }

  auto const ramp_time = std::chrono::duration<double>(static_cast<double>(opts_.clients) / opts_.ramp);
  auto const give_up = connect_began + std::chrono::duration_cast<std::chrono::steady_clock::duration>(ramp_time + opts_.connect_timeout);
  auto next_progress = connect_began + progress_period;
  while (ctx.ready.load() + ctx.failed.load() < opts_.clients && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(poll_period);
    if (std::chrono::steady_clock::now() >= next_progress) {
      next_progress += progress_period;
      say(std::to_string(ctx.ready.load()) + " joined, " + std::to_string(ctx.failed.load()) + " failed of " + std::to_string(opts_.clients));
    }
  }
  result.connect_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - connect_began).count();
  say(std::to_string(ctx.ready.load()) + " joined, " + std::to_string(ctx.failed.load()) + " failed in " +
      std::to_string(result.connect_seconds) + " s");
  // Let the allocator and the presence coalescing settle before memory is read.
  std::this_thread::sleep_for(std::chrono::seconds(1));
  scrape_all(&replica_samples::connected);

  if (!opts_.idle) {
    ctx.send_start_ns.store(now_ns());
    sleep_for(opts_.warmup);
  }
  scrape_all(&replica_samples::window_start);
  sample_watched(&watch_samples::window_start);
  result.machine_start = process_sampler::machine();
  auto const window_start = now_ns();
  ctx.measure_start_ns.store(window_start);
  say(opts_.idle ? "holding" : "measuring");
  sleep_for(opts_.duration);
  auto const window_end = now_ns();
  ctx.measure_end_ns.store(window_end);
  result.machine_end = process_sampler::machine();
  sample_watched(&watch_samples::window_end);
  scrape_all(&replica_samples::window_end);
  result.window_seconds = static_cast<double>(window_end - window_start) * 1e-9;
  if (!opts_.idle) {
    // Up to --drain for what was sent in the window; done as soon as every ack and delivery is in.
    auto const drain_end = std::chrono::steady_clock::now() + std::chrono::duration_cast<std::chrono::steady_clock::duration>(opts_.drain);
    while (!ctx.window_complete() && std::chrono::steady_clock::now() < drain_end) {
      std::this_thread::sleep_for(poll_period);
    }
  }
  scrape_all(&replica_samples::drained);

  for (auto& w : workers) {
    w->stop();
  }
  for (auto& w : workers) {
    result.stats.merge(w->stats());
  }
  result.ready = ctx.ready.load();
  result.failed = ctx.failed.load();
  result.lost = ctx.lost.load();
  return result;
}

}  // namespace chatd::bench
