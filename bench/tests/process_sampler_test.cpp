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
  EXPECT_TRUE(s->thread_cpu_seconds.contains(getpid()));  // the main thread's id is the pid
}

TEST(process_sampler, a_missing_process_gives_nothing) {
  // Above the kernel's pid_max (at most 2^22), so no process can have it.
  EXPECT_FALSE(process_sampler::sample(1 << 23));
}

TEST(process_sampler, reads_the_machine) {
  auto m = process_sampler::machine();
  ASSERT_TRUE(m);
  EXPECT_GT(m->busy_seconds + m->idle_seconds, 0);
  EXPECT_GE(m->steal_seconds, 0);
}
