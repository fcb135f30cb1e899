/* ls-random.h: seeded initial weights that are the same on every machine
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  LS_INIT_HE,      /* normal, standard deviation sqrt(2 / fan_in) */
  LS_INIT_XAVIER,  /* uniform in ±sqrt(6 / (fan_in + fan_out)) */
  LS_N_INIT_SCHEMES
} LsInitScheme;

typedef struct
{
  LsInitScheme scheme;
  guint64 seed;
} LsInit;

const char *ls_init_scheme_get_name  (LsInitScheme  scheme);
gboolean    ls_init_scheme_from_name (const char   *name,
                                      LsInitScheme *scheme);

/* A splitmix64 generator: 64 bits of state and integer arithmetic only,
 * so a seed gives the same sequence on every platform. */
typedef struct
{
  guint64 state;
} LsRandom;

void    ls_random_init         (LsRandom *random,
                                guint64   seed);
guint64 ls_random_next         (LsRandom *random);
double  ls_random_next_double  (LsRandom *random);
double  ls_random_next_normal  (LsRandom *random);
void    ls_random_shuffle      (LsRandom *random,
                                gsize    *indices,
                                gsize     n);

void    ls_init_fill_weights   (const LsInit *init,
                                float        *weights,
                                gsize         fan_in,
                                gsize         fan_out);

G_END_DECLS
