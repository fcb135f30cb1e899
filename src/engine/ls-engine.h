/* ls-engine.h: the whole engine API
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ls-activation.h"
#include "ls-error.h"
#include "ls-layer.h"
#include "ls-network.h"
#include "ls-plane-map.h"
#include "ls-random.h"
#include "ls-samples.h"
#include "ls-shape.h"
#include "ls-tokenizer.h"
#include "ls-trainer.h"
