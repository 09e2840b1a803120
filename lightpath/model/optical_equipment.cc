#include "lightpath/model/optical_equipment.h"

namespace lightpath {

const AmplifierModel* OpticalEquipment::amplifier(std::string_view type_variety) const {
  for (const AmplifierModel& a : amplifiers) {
    if (a.type_variety == type_variety) return &a;
  }
  return nullptr;
}

const FiberType& OpticalEquipment::fiberType(std::string_view type_variety) const {
  static const FiberType kSsmf{"SSMF"};
  const FiberType* ssmf = nullptr;
  for (const FiberType& f : fiber_types) {
    if (f.type_variety == type_variety) return f;
    if (f.type_variety == "SSMF") ssmf = &f;
  }
  return ssmf ? *ssmf : kSsmf;
}

}  // namespace lightpath
