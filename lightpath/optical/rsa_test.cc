#include "lightpath/optical/rsa.h"

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

namespace lightpath {
namespace {

std::vector<std::uint32_t> links(std::initializer_list<std::uint32_t> l) { return l; }

TEST(Rsa, SingleRoutePoliciesPickTheirBlock) {
  SpectrumState state(2, 20);
  const auto a = links({0, 1});
  state.occupy(a, 0, 2);   // 0-1 used
  state.occupy(a, 5, 2);   // 2-4 free (3), 7.. free
  state.occupy(a, 10, 1);  // 7-9 free (3), 11-19 free (9)
  Random random(1);
  RsaScratch scratch;
  const RsaCandidate routes[] = {{a, 3}};
  EXPECT_EQ(assignSpectrum(RsaPolicy::FirstFit, state, routes, random, scratch)->first, 2u);
  EXPECT_EQ(assignSpectrum(RsaPolicy::BestFit, state, routes, random, scratch)->first, 2u);
  EXPECT_EQ(assignSpectrum(RsaPolicy::ExactFit, state, routes, random, scratch)->first, 2u);
  const RsaCandidate four[] = {{a, 4}};
  EXPECT_EQ(assignSpectrum(RsaPolicy::FirstFit, state, four, random, scratch)->first, 11u);
  const RsaCandidate big[] = {{a, 10}};
  EXPECT_FALSE(assignSpectrum(RsaPolicy::FirstFit, state, big, random, scratch));
  for (int i = 0; i < 50; ++i) {  // random only ever picks a feasible block
    auto choice = assignSpectrum(RsaPolicy::Random, state, routes, random, scratch);
    ASSERT_TRUE(choice);
    std::vector<std::uint64_t> mask(state.words());
    state.pathFree(a, mask.data());
    for (std::uint32_t s = choice->first; s < choice->first + 3; ++s)
      EXPECT_TRUE((mask[0] >> s) & 1);
  }
}

TEST(Rsa, KspPoliciesChooseAcrossRoutes) {
  SpectrumState state(3, 10);
  const auto short_route = links({0});
  const auto long_route = links({1, 2});
  state.occupy(short_route, 0, 6);  // short route: 6-9 free
  Random random(1);
  RsaScratch scratch;
  const RsaCandidate routes[] = {{short_route, 3}, {long_route, 3}};
  auto ksp = assignSpectrum(RsaPolicy::KspFirstFit, state, routes, random, scratch);
  EXPECT_EQ(ksp->route, 0u);
  EXPECT_EQ(ksp->first, 6u);
  auto ff = assignSpectrum(RsaPolicy::FirstFitKsp, state, routes, random, scratch);
  EXPECT_EQ(ff->route, 1u);  // slot 0 on the long route beats slot 6 on the short one
  EXPECT_EQ(ff->first, 0u);
  auto lc = assignSpectrum(RsaPolicy::KspLeastCost, state, routes, random, scratch);
  EXPECT_EQ(lc->route, 0u);  // 3 slot-links beat 6
}

TEST(Rsa, PolicyNamesRoundTrip) {
  for (RsaPolicy p : allRsaPolicies()) EXPECT_EQ(*parseRsaPolicy(toString(p)), p);
  EXPECT_FALSE(parseRsaPolicy("fastest"));
}

// Whatever the policy, a block it returns is free on every link of its route (continuity and
// contiguity), so no slot is ever given twice; checked against a shadow copy.
RC_GTEST_PROP(Rsa, NeverGivesASlotTwice, ()) {
  const std::uint32_t link_count = 6, slots = 40;
  SpectrumState state(link_count, slots);
  std::vector<std::vector<bool>> used(link_count, std::vector<bool>(slots, false));
  struct Held {
    std::vector<std::uint32_t> links;
    std::uint32_t first, count;
  };
  std::vector<Held> held;
  Random random(*rc::gen::arbitrary<std::uint64_t>());
  RsaScratch scratch;
  const auto policies = allRsaPolicies();
  for (int step = 0; step < 300; ++step) {
    if (!held.empty() && *rc::gen::inRange(0, 3) == 0) {
      const std::size_t i = *rc::gen::inRange<std::size_t>(0, held.size());
      for (std::uint32_t l : held[i].links) {
        for (std::uint32_t s = held[i].first; s < held[i].first + held[i].count; ++s)
          used[l][s] = false;
      }
      state.release(held[i].links, held[i].first, held[i].count);
      held.erase(held.begin() + static_cast<std::ptrdiff_t>(i));
      continue;
    }
    std::vector<std::vector<std::uint32_t>> route_links(3);
    std::vector<RsaCandidate> routes;
    for (auto& r : route_links) {
      for (std::uint32_t l = 0; l < link_count; ++l) {
        if (*rc::gen::inRange(0, 3) == 0) r.push_back(l);
      }
      if (r.empty()) r.push_back(*rc::gen::inRange<std::uint32_t>(0, link_count));
      routes.push_back({r, *rc::gen::inRange<std::uint32_t>(1, 6)});
    }
    const RsaPolicy policy = policies[*rc::gen::inRange<std::size_t>(0, policies.size())];
    auto choice = assignSpectrum(policy, state, routes, random, scratch);
    if (!choice) continue;
    const RsaCandidate& c = routes[choice->route];
    RC_ASSERT(choice->first + c.slots <= slots);
    for (std::uint32_t l : c.links) {
      for (std::uint32_t s = choice->first; s < choice->first + c.slots; ++s) {
        RC_ASSERT(!used[l][s]);
        used[l][s] = true;
      }
    }
    state.occupy(c.links, choice->first, c.slots);
    held.push_back(
        {std::vector<std::uint32_t>(c.links.begin(), c.links.end()), choice->first, c.slots});
  }
}

}  // namespace
}  // namespace lightpath
