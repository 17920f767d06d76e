#include "process_sampler.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

using chatd::bench::process_sampler;

TEST(process_sampler, reads_this_process) {
  auto s = process_sampler::sample(getpid());
  ASSERT_TRUE(s);
  EXPECT_GT(s->rss_mb, 0);
  EXPECT_GE(s->cpu_seconds, 0);
  EXPECT_GE(s->processes, 1u);
}

TEST(process_sampler, a_missing_process_gives_nothing) {
  // Above the kernel's pid_max (at most 2^22), so no process can have it.
  EXPECT_FALSE(process_sampler::sample(1 << 23));
}
