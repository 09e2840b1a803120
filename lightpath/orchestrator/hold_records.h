// Capacity holds as the store keeps them: the ledger's claims and window encoded as a small JSON
// body (one record per hold, under the hold's own id), the split of a connection's capacity into
// holds (one per bandwidth step), and the ledger rebuilt from the records after a restart.
//
//   auto parts = holdParts(spec, window, claims);          // one part, or one per step
//   auto held = reserveParts(ledger, "conn_1", parts);     // all parts or none
//   tx.putHold((*held)[0]);                                // the record beside the connection
//   ...after a restart:
//   ledger.restoreAll(*readHolds(tx));                     // same ids, same claims
//
// Pure functions over the ledger they are given; thread-safety is the ledger's.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lightpath/ledger/ledger.h"
#include "lightpath/service/connection.h"
#include "lightpath/store/store.h"

namespace lightpath {

std::string encodeHold(const Window& window, const std::vector<Claim>& claims);
// InvalidArgument naming what is wrong (a stored body that is not one of ours).
Result<std::pair<Window, std::vector<Claim>>> decodeHold(std::string_view body);

// The holds a connection needs over `window`: one with every claim, or, when its bandwidth steps,
// one for the discrete claims (spectrum, VLANs) over the whole window and one per step's window
// with the amounts of that step (the route itself is planned for the peak).
using HoldPart = std::pair<Window, std::vector<Claim>>;
std::vector<HoldPart> holdParts(const ConnectionSpec& spec, const Window& window,
                                std::vector<Claim> claims);

// Reserves every part for `owner`, all or nothing (what was taken is given back on a failure,
// whose error is the ledger's: ResourceExhausted naming the resource).
Result<std::vector<HoldRecord>> reserveParts(Ledger& ledger, const std::string& owner,
                                             const std::vector<HoldPart>& parts);
// Gives the holds back to the ledger; ones it no longer has are ignored.
void releaseHolds(Ledger& ledger, const std::vector<HoldRecord>& holds);

// A stored hold as the ledger keeps it (InvalidArgument naming the hold and what is wrong).
Result<Hold> decodeStoredHold(const HoldView& stored);
// Every hold the store keeps, decoded, for Ledger::restoreAll (same ids, same claims). Read a
// hold at a time: a restart reads the whole book, and its text is never all in memory at once.
Result<std::vector<Hold>> readHolds(StoreTransaction& tx);

// Other instances' hold changes, in commit order, each that fits beside what this ledger holds;
// returns those that do not (they take what a hold of ours not yet committed takes, or reuse an
// id we hold for another owner), and every later change of the same hold, in order. Skipping
// one is safe: committed holds never overlap, so only our uncommitted holds can be in the way,
// and `sharesCapacity` keeps those from being written. Waiting only on the changes in the way
// (not on everything after the first) keeps a busy instance from falling behind the others.
// A hold that changed is modified in place, so a refused change leaves the old.
std::vector<HoldChange> applyHoldChanges(Ledger& ledger, const std::vector<HoldChange>& changes);
// Whether writing `hold` (already in `ledger`) could book capacity twice while the changes
// `pending` are not applied: it takes a spectrum slot or VLAN one of them takes over
// overlapping time, or a bandwidth whose room left in the ledger is less than they add. A body
// that cannot be read blocks (the safe answer).
bool sharesCapacity(const Ledger& ledger, const HoldRecord& hold,
                    const std::vector<HoldChange>& pending);

// `claims` with every quantity (not spectrum or VLANs) set to `mbps`: a bandwidth change keeps
// the route, ports and VLAN.
std::vector<Claim> withAmount(std::vector<Claim> claims, std::uint64_t mbps);

}  // namespace lightpath
