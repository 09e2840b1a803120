#include "lightpath/transfer/workload.h"

#include <gtest/gtest.h>

#include <map>
#include <random>

#include "lightpath/io/demo_network.h"
#include "lightpath/service/connection_json.h"

namespace lightpath {
namespace {

const PathEngine& demoEngine() {
  static const PathEngine engine(std::make_shared<const Topology>(*loadDemoNetwork()));
  return engine;
}

std::string at(int hours) {
  return formatTime(TimePoint(std::chrono::seconds(1'800'000'000) + std::chrono::hours(hours)));
}

std::string parseError(const nlohmann::json& json) {
  auto orders = parseWorkload(json, "w.json");
  return orders ? "" : orders.error().message();
}

TEST(Workload, BadEntriesAreNamedWithTheField) {
  const nlohmann::json good = {{"id", "t1"},    {"a", "dc-ashburn"}, {"z", "dc-hillsboro"},
                               {"bytes", 1e15}, {"earliest", at(0)}, {"deadline", at(24)}};
  EXPECT_EQ(parseError(nlohmann::json::array({good})), "");
  EXPECT_EQ(parseError(good), "w.json: expected a JSON array of transfers");
  auto with = [&](const char* field, nlohmann::json value) {
    nlohmann::json entry = good;
    entry[field] = std::move(value);
    return parseError(nlohmann::json::array({entry}));
  };
  EXPECT_EQ(with("bytes", 0),
            "w.json: transfer 0 (t1): \"bytes\" must be a number from 1 to 10^18");
  EXPECT_EQ(with("bytes", 1e30),
            "w.json: transfer 0 (t1): \"bytes\" must be a number from 1 to 10^18");
  EXPECT_EQ(with("deadline", at(-1)),
            "w.json: transfer 0 (t1): \"deadline\" must be after \"earliest\"");
  EXPECT_NE(with("earliest", "tomorrow").find("\"earliest\""), std::string::npos);
  EXPECT_EQ(with("a", 5), "w.json: transfer 0 (t1): \"a\" must be a non-empty string");
  EXPECT_EQ(parseError(nlohmann::json::array({good, good})),
            "w.json: transfer 1 (t1): the id is used twice");
  // A span no table should be made for.
  nlohmann::json forever = good;
  forever["deadline"] = "9999-12-31T00:00:00Z";
  auto far = parseWorkload(nlohmann::json::array({forever}), "w.json");
  ASSERT_TRUE(far);
  auto too_long = buildWorkloadProblem(demoEngine(), *far, {});
  ASSERT_FALSE(too_long);
  EXPECT_NE(too_long.error().message().find("use longer slots"), std::string::npos);
  auto orders = parseWorkload(nlohmann::json::array({good}), "w.json");
  ASSERT_TRUE(orders);
  orders->front().z = "atlantis";
  auto problem = buildWorkloadProblem(demoEngine(), *orders, {});
  ASSERT_FALSE(problem);
  EXPECT_NE(problem.error().message().find("transfer t1: \"z\""), std::string::npos)
      << problem.error().message();
}

// What a checker who trusts nothing of the planner verifies in the command's answer: each
// schedule stays inside its transfer's window, carries its bytes, and all of them together stay
// within every fiber direction's capacity at every moment.
void checkAnswer(const Topology& t, const PathEngine& engine,
                 const std::vector<TransferOrder>& orders, const nlohmann::ordered_json& answer,
                 double link_gbps) {
  std::map<std::string, const TransferOrder*> by_id;
  for (const TransferOrder& o : orders) by_id[o.id] = &o;
  // (fiber, direction) -> time -> change of Gb/s at that time.
  std::map<std::pair<FiberIndex, int>, std::map<TimePoint, double>> load;
  double admitted = 0;
  for (const auto& transfer : answer["admitted"]) {
    const TransferOrder& o = *by_id.at(transfer["id"].get<std::string>());
    double gigabits = 0;
    for (const auto& entry : transfer["schedule"]) {
      const TimePoint start = *parseTime(entry["start"].get<std::string>());
      const TimePoint end = *parseTime(entry["end"].get<std::string>());
      const double gbps = entry["gbps"].get<double>();
      ASSERT_GE(start, o.earliest);
      ASSERT_LE(end, o.deadline);
      ASSERT_LT(start, end);
      gigabits += gbps * std::chrono::duration<double>(end - start).count();
      NodeIndex node = *engine.resolveNode(o.a);
      for (const auto& id : entry["fibers"]) {
        const FiberIndex f = *t.findFiber(id.get<std::string>());
        ASSERT_TRUE(t.fiberA(f) == node || t.fiberB(f) == node) << "the route is not a walk";
        const int direction = t.fiberA(f) == node ? 0 : 1;
        load[{f, direction}][start] += gbps;
        load[{f, direction}][end] -= gbps;
        node = t.otherEnd(f, node);
      }
      ASSERT_EQ(node, *engine.resolveNode(o.z)) << "the route does not end at z";
    }
    EXPECT_GE(gigabits * 1e9 / 8, o.bytes * (1 - 1e-9)) << o.id;
    admitted += o.bytes;
  }
  for (const auto& [fiber, changes] : load) {
    double level = 0;
    for (const auto& [when, change] : changes) {
      level += change;
      ASSERT_LE(level, link_gbps + 1e-6) << t.fiber(fiber.first).id;
    }
  }
  EXPECT_DOUBLE_EQ(answer["admitted_bytes"].get<double>(), admitted);
}

std::vector<TransferOrder> dataCenterWorkload(int count, unsigned seed) {
  const std::vector<std::string> sites = {"dc-ashburn",     "dc-hillsboro",  "dc-council-bluffs",
                                          "dc-santa-clara", "dc-new-albany", "dc-fort-worth"};
  std::mt19937 random(seed);
  std::vector<TransferOrder> orders;
  for (int i = 0; i < count; ++i) {
    TransferOrder o;
    o.id = "t" + std::to_string(i);
    o.a = sites[random() % sites.size()];
    do o.z = sites[random() % sites.size()];
    while (o.z == o.a);
    const int start = static_cast<int>(random() % 24), hours = 2 + static_cast<int>(random() % 10);
    o.earliest = *parseTime(at(start));
    o.deadline = *parseTime(at(start + hours));
    o.bytes = (50 + random() % 400) * 1e9 / 8 * 3600 * hours;  // 50 to 450 Gb/s on average
    orders.push_back(o);
  }
  return orders;
}

TEST(Workload, AnswersFitTheNetworkAndDeliverTheBytes) {
  const auto orders = dataCenterWorkload(60, 11);
  for (TransferFill fill : {TransferFill::Even, TransferFill::Earliest}) {
    auto problem = buildWorkloadProblem(demoEngine(), orders, {.link_mbps = 400'000});
    ASSERT_TRUE(problem) << problem.error().message();
    const WorkloadOutcome ours = planInArrivalOrder(*problem, fill);
    const nlohmann::ordered_json answer = workloadJson(*problem, ours);
    EXPECT_GT(answer["admitted"].size(), 10u);
    EXPECT_GT(answer["rejected"].size(), 0u) << "the workload must contend for capacity";
    checkAnswer(demoEngine().topology(), demoEngine(), orders, answer, 400);
    checkAnswer(demoEngine().topology(), demoEngine(), orders,
                workloadJson(*problem, planEarliestDeadlineFirst(*problem)), 400);
    for (const auto& rejected : answer["rejected"])
      EXPECT_NE(rejected["reason"].get<std::string>().find("cannot deliver"), std::string::npos);
  }
}

}  // namespace
}  // namespace lightpath
