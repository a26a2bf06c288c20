// Calendar dates: public (include/roo/date.hpp).
#pragma once

#include <roo/date.hpp>
