// What every public header of roo needs: the mark of the functions and classes
// the shared library exports (everything else is hidden).
#pragma once

#if defined(_WIN32)
#define ROO_API
#else
#define ROO_API __attribute__((visibility("default")))
#endif
