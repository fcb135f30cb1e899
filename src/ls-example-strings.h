/* ls-example-strings.h: translations of the example networks' words
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ls-network.h"

G_BEGIN_DECLS

/* Replaces network's title, description, input labels, layer names and
 * layer labels with their translations from the GETTEXT_PACKAGE catalog
 * (tools/extract-data-strings.py collects them into po/data-strings.pot).
 * Call it only for a network loaded from the data folder's examples: a
 * user's own document keeps its words. A token network's inputs are its
 * tokens and stay as they are. Strings without a translation are kept. */
void ls_example_strings_translate (LsNetwork *network);

G_END_DECLS
