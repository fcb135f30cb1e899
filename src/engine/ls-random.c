/* ls-random.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope-engine"

#include <math.h>

#include "ls-random.h"

static const char * const init_scheme_names[] = {
  [LS_INIT_HE]     = "he",
  [LS_INIT_XAVIER] = "xavier",
};

G_STATIC_ASSERT (G_N_ELEMENTS (init_scheme_names) == LS_N_INIT_SCHEMES);

const char *
ls_init_scheme_get_name (LsInitScheme scheme)
{
  g_return_val_if_fail (scheme < LS_N_INIT_SCHEMES, NULL);

  return init_scheme_names[scheme];
}

gboolean
ls_init_scheme_from_name (const char   *name,
                          LsInitScheme *scheme)
{
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (scheme != NULL, FALSE);

  for (guint i = 0; i < LS_N_INIT_SCHEMES; i++)
    {
      if (g_str_equal (name, init_scheme_names[i]))
        {
          *scheme = i;
          return TRUE;
        }
    }

  return FALSE;
}

void
ls_random_init (LsRandom *random,
                guint64   seed)
{
  g_return_if_fail (random != NULL);

  random->state = seed;
}

/* splitmix64, from Steele, Lea and Flood, "Fast splittable pseudorandom
 * number generators" (OOPSLA 2014). */
guint64
ls_random_next (LsRandom *random)
{
  guint64 z = (random->state += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15));

  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);

  return z ^ (z >> 31);
}

/* Returns a double in [0, 1) made from the top 53 bits. */
double
ls_random_next_double (LsRandom *random)
{
  return (ls_random_next (random) >> 11) * 0x1.0p-53;
}

/* Returns a standard normal sample by the Box–Muller transform.
 * NOTE: log() and cos() come from the C library, so a libm that rounds
 * differently from glibc's could change the last bit of a sample. The
 * uniform samples, and so Xavier weights, use integer arithmetic only. */
double
ls_random_next_normal (LsRandom *random)
{
  double u1 = 1.0 - ls_random_next_double (random);  /* in (0, 1], so log() is finite */
  double u2 = ls_random_next_double (random);

  return sqrt (-2.0 * log (u1)) * cos (2.0 * G_PI * u2);
}

/* Fills weights, [fan_in][fan_out], from the seed alone: the same seed and
 * sizes always give the same matrix. */
void
ls_init_fill_weights (const LsInit *init,
                      float        *weights,
                      gsize         fan_in,
                      gsize         fan_out)
{
  LsRandom random;
  gsize n = fan_in * fan_out;

  g_return_if_fail (init != NULL);
  g_return_if_fail (weights != NULL || n == 0);
  g_return_if_fail (init->scheme < LS_N_INIT_SCHEMES);

  ls_random_init (&random, init->seed);

  if (init->scheme == LS_INIT_HE)
    {
      double std = sqrt (2.0 / MAX (fan_in, 1));

      for (gsize i = 0; i < n; i++)
        weights[i] = (float) (std * ls_random_next_normal (&random));
    }
  else
    {
      double limit = sqrt (6.0 / MAX (fan_in + fan_out, 1));

      for (gsize i = 0; i < n; i++)
        weights[i] = (float) (limit * (2.0 * ls_random_next_double (&random) - 1.0));
    }
}

/* Shuffles indices [n] in place by Fisher–Yates, drawing from random.
 * The modulo's bias is below n / 2⁶⁴: under 2⁻⁴⁴ for the at most
 * LS_MAX_SAMPLES samples of a set. */
void
ls_random_shuffle (LsRandom *random,
                   gsize    *indices,
                   gsize     n)
{
  g_return_if_fail (random != NULL);
  g_return_if_fail (indices != NULL || n == 0);

  for (gsize i = n; i > 1; i--)
    {
      gsize j = (gsize) (ls_random_next (random) % (guint64) i);
      gsize swap = indices[i - 1];

      indices[i - 1] = indices[j];
      indices[j] = swap;
    }
}
