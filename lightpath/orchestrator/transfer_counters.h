// What the bulk transfers have delivered, by the devices' own counters: each running leg's
// service at its Z end (deliveryPoint) is read once a minute, on the minute, and the bytes it
// counted since the last reading are added to the leg's count in the transfer's document
// (LegCount), as a carrier's collector polls interface octets. A counter smaller than when last
// read, or a service gone (a leg down: its service is removed) starts a new count from zero.
//
// The minute's reading comes before the schedule's moves of that tick: legs start, change rate
// and end on whole minutes (the transfer planner's slots), so a leg is read at its end before its
// service is taken down. Counted bytes can miss at most the minute before a leg goes down.
//
//   TransferCounters counters(ctx);
//   counters.pollIfDue(now);  // every schedule tick
//
// Thread-safety: one poll at a time (the schedule's thread). A document written meanwhile by a
// re-plan or a cancel keeps its own counts, which stay consistent (bytes with their `last`): the
// next reading adds what it lost.
#pragma once

#include <chrono>

#include "lightpath/base/clock.h"
#include "lightpath/base/status.h"

namespace lightpath {

class OrchestratorContext;

class TransferCounters {
 public:
  static constexpr std::chrono::seconds kPeriod{60};

  explicit TransferCounters(OrchestratorContext& ctx) : ctx_(ctx) {}

  // Reads the counters when a new period has begun since the last reading (and on the first
  // call). Returns how many transfers' counts it updated.
  Result<std::size_t> pollIfDue(TimePoint now);
  // Reads them now: every transfer whose legs have started and were not all read after their
  // end.
  Result<std::size_t> poll(TimePoint now);

 private:
  OrchestratorContext& ctx_;
  TimePoint next_{};
};

}  // namespace lightpath
