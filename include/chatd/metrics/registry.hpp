#pragma once

#include <chatd/metrics/counter.hpp>
#include <chatd/metrics/gauge.hpp>
#include <chatd/metrics/histogram.hpp>
#include <chatd/metrics/labels.hpp>

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace chatd::metrics {

// Owns every metric of the process and renders them in the Prometheus text format 0.0.4.
//
// Registration happens at start-up: a bad name, a duplicate series or a family reused with another
// type is a programming error and throws std::invalid_argument. The returned references stay valid
// for the registry's lifetime and are used on the data plane without any lock. Series that share a
// name form one family and are exposed together under one # HELP / # TYPE header, in registration
// order.
//
// Thread safety: every member may be called from any thread. mutex_ guards the family list (a
// registration racing a scrape); it is never taken on the data plane.
class registry {
 public:
  registry();
  ~registry();
  registry(registry const&) = delete;
  registry& operator=(registry const&) = delete;

  counter& add_counter(std::string name, std::string help, labels l = {});
  gauge& add_gauge(std::string name, std::string help, labels l = {});
  // Every series of one histogram family must use the same bounds (histogram_quantile sums
  // buckets across series); `le` is reserved as a label name.
  histogram& add_histogram(std::string name, std::string help, std::vector<double> bounds, labels l = {});

  // Series whose value is read at scrape time, e.g. a size owned by another component. `read` runs
  // on the scraping thread with the registry locked: it must be thread-safe, quick and must not
  // call back into the registry. If it throws a std::exception the sample is exposed as NaN.
  void add_callback_gauge(std::string name, std::string help, std::function<double()> read, labels l = {});
  // Same for a monotonic total kept elsewhere (e.g. CPU time read from /proc).
  void add_callback_counter(std::string name, std::string help, std::function<double()> read, labels l = {});

  // The whole exposition, ending in a newline (empty when nothing is registered).
  std::string expose() const;

  enum class kind { counter, gauge, histogram };

 private:
  struct series;
  struct family;

  // Validates name, help, type, labels and uniqueness, finds or creates the family and appends `s`
  // to it. `s` arrives complete, so a concurrent scrape never sees a half-made series.
  void add_series(std::string&& name, std::string&& help, kind k, labels const& l, std::vector<double> const* bounds,
                  std::unique_ptr<series> s);

  mutable std::mutex mutex_;  // guards families_, by_name_ and by_sample_name_
  std::vector<std::unique_ptr<family>> families_;
  std::map<std::string, family*, std::less<>> by_name_;
  // Every sample name a family writes (a histogram `x` writes x_bucket, x_sum and x_count), so that
  // two families can never emit lines that a scraper would attribute to each other.
  std::map<std::string, family const*, std::less<>> by_sample_name_;
};

}  // namespace chatd::metrics
