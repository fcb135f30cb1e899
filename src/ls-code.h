/* ls-code.h: Python scripts that rebuild a network with NumPy or PyTorch
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "ls-network.h"

G_BEGIN_DECLS

typedef enum
{
  LS_CODE_NUMPY,    /* plain NumPy functions */
  LS_CODE_PYTORCH,  /* a torch.nn.Sequential of torch.nn layers */
  LS_N_CODE_LANGUAGES
} LsCodeLanguage;

/* The largest script ls_code_generate() writes, in bytes. */
#define LS_CODE_MAX_SIZE (20u << 20)

/* Generates a complete Python 3 script that rebuilds the network with its
 * current weights and current input, runs the forward pass and prints
 * one line "output <index> <value>" per output value, then
 * "predicted <index> <label>" (the label only when the output layer has
 * labels). Each number is the shortest decimal that reads back as the
 * same float32. Returns NULL with LS_ERROR_INVALID_SHAPE for a network
 * without layers, or one whose script might exceed LS_CODE_MAX_SIZE by
 * an upper estimate of 17 bytes per number.
 * Free the result with g_free(). */
char       *ls_code_generate              (LsNetwork      *network,
                                           LsCodeLanguage  language,
                                           GError        **error);

/* Returns the command that runs a script saved as network.py and the
 * Python package it needs, translated, e.g.
 * "Run: python3 network.py (needs numpy)". */
const char *ls_code_language_get_hint     (LsCodeLanguage  language);

G_END_DECLS
