#include "interpreter/core/processes.hpp"

#include <algorithm>

namespace roo {

namespace {
constexpr std::string_view processes[] = {
    // chemical
    "chemical_reaction", "purification", "mixing_and_blending", "production_of_standard_materials",
    "change_of_particle_size", "isomer_separation", "biotechnological_processing", "distillation", "refining",
    // textile
    "spinning", "extrusion", "texturing", "twisting", "weaving", "knitting", "crocheting", "tufting", "felting",
    "bonding", "dyeing", "printing", "coating", "laminating", "flocking", "cutting", "sewing", "making_up",
    "embroidery",
    // textile preparatory or finishing operations
    "bleaching", "mercerising", "heat_setting", "raising", "calendering", "shrink_resistance_processing",
    "permanent_finishing", "decatising", "impregnation", "mending", "burling",
    // other
    "slaughtering", "cooking", "smoking", "retreading", "diffusion", "assembly", "testing",
    // insufficient operations (PEM-style lists)
    "preserving", "packing", "repacking", "sorting", "grading", "cleaning", "simple_painting", "simple_mixing",
    "simple_assembly", "affixing_marks", "slicing", "sifting", "dividing", "husking", "peeling", "ironing",
    "sugar_colouring"};
}  // namespace

std::span<const std::string_view> known_processes() noexcept {
  return processes;
}

bool is_known_process(std::string_view id) noexcept {
  auto list = known_processes();
  return !id.empty() && std::find(list.begin(), list.end(), id) != list.end();
}

}  // namespace roo
