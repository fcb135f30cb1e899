/* ls-history.c: undo and redo over whole-document states
 *
 * Each state is a complete serialised document, so undoing any edit,
 * whatever part of the network it touched, is the same operation: load
 * the previous text. Documents are small next to the memory limit, and
 * the limit bounds the worst case.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope-history"

#include "config.h"

#include <string.h>

#include "ls-history.h"

typedef struct
{
  char *text;
  gsize length;
  guint64 serial;   /* unique per recorded state, so that a replaced state is never taken for the saved one */
} State;

struct _LsHistory
{
  GArray *states;       /* of State, oldest first */
  gsize current;        /* index into states of the state shown */
  gsize n_bytes;        /* text bytes of all states */
  gsize max_states;
  gsize max_bytes;
  guint64 next_serial;
  guint64 saved_serial; /* 0 when the saved state is no longer in the history */
  guint last_key;       /* key of the last edit, 0 after undo, redo or reset */
  gint64 last_time;     /* monotonic time of the last change of the last edit, in microseconds */
};

static void
clear_state (gpointer data)
{
  State *state = data;

  g_free (state->text);
}

LsHistory *
ls_history_new (gsize max_states,
                gsize max_bytes)
{
  LsHistory *self;

  g_return_val_if_fail (max_states >= 2, NULL);

  self = g_new0 (LsHistory, 1);
  self->states = g_array_new (FALSE, FALSE, sizeof (State));
  g_array_set_clear_func (self->states, clear_state);
  self->max_states = max_states;
  self->max_bytes = max_bytes;
  self->next_serial = 1;

  return self;
}

void
ls_history_free (LsHistory *self)
{
  if (self == NULL)
    return;

  g_array_unref (self->states);
  g_free (self);
}

static State *
get_state (LsHistory *self,
           gsize      index)
{
  return &g_array_index (self->states, State, index);
}

static void
append_state (LsHistory  *self,
              const char *text)
{
  State state = { g_strdup (text), strlen (text), self->next_serial++ };

  g_array_append_val (self->states, state);
  self->n_bytes += state.length;
  self->current = self->states->len - 1;
}

/* Drops the states after the current one, which Redo would restore. */
static void
drop_redo_states (LsHistory *self)
{
  for (gsize i = self->current + 1; i < self->states->len; i++)
    self->n_bytes -= get_state (self, i)->length;
  g_array_set_size (self->states, self->current + 1);
}

/* Drops the oldest states until both limits hold or only the current
 * state is left. */
static void
enforce_limits (LsHistory *self)
{
  while (self->current > 0 &&
         (self->states->len > self->max_states || self->n_bytes > self->max_bytes))
    {
      State *oldest = get_state (self, 0);

      if (oldest->serial == self->saved_serial)
        self->saved_serial = 0;
      self->n_bytes -= oldest->length;
      g_array_remove_index (self->states, 0);
      self->current--;
    }
}

void
ls_history_reset (LsHistory  *self,
                  const char *state)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (state != NULL);

  g_array_set_size (self->states, 0);
  self->n_bytes = 0;
  append_state (self, state);
  self->saved_serial = get_state (self, 0)->serial;
  self->last_key = 0;
}

/* Returns TRUE when the edit may replace the current state instead of
 * adding one: the same key, soon after, and a state that neither Undo
 * to the start nor the saved state needs. */
static gboolean
can_coalesce (LsHistory *self,
              guint      key,
              gint64     time_usec)
{
  State *current = get_state (self, self->current);

  return key != 0 && key == self->last_key &&
         time_usec - self->last_time < LS_HISTORY_COALESCE_USEC &&
         self->current > 0 && current->serial != self->saved_serial;
}

gboolean
ls_history_record (LsHistory  *self,
                   const char *state,
                   guint       key,
                   gint64      time_usec)
{
  return ls_history_record_span (self, state, key, time_usec, time_usec);
}

gboolean
ls_history_record_span (LsHistory  *self,
                        const char *state,
                        guint       key,
                        gint64      first_usec,
                        gint64      last_usec)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (state != NULL, FALSE);
  g_return_val_if_fail (self->states->len > 0, FALSE);

  if (g_str_equal (state, get_state (self, self->current)->text))
    return FALSE;

  drop_redo_states (self);
  if (can_coalesce (self, key, first_usec))
    {
      self->n_bytes -= get_state (self, self->current)->length;
      g_array_set_size (self->states, self->current);
    }
  append_state (self, state);
  self->last_key = key;
  self->last_time = MAX (first_usec, last_usec);
  enforce_limits (self);

  return TRUE;
}

const char *
ls_history_undo (LsHistory *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (!ls_history_can_undo (self))
    return NULL;

  self->current--;
  self->last_key = 0;

  return get_state (self, self->current)->text;
}

const char *
ls_history_redo (LsHistory *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (!ls_history_can_redo (self))
    return NULL;

  self->current++;
  self->last_key = 0;

  return get_state (self, self->current)->text;
}

gboolean
ls_history_can_undo (LsHistory *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->states->len > 0 && self->current > 0;
}

gboolean
ls_history_can_redo (LsHistory *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->current + 1 < self->states->len;
}

const char *
ls_history_get_current (LsHistory *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (self->states->len == 0)
    return NULL;

  return get_state (self, self->current)->text;
}

void
ls_history_mark_saved (LsHistory *self)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (self->states->len > 0);

  self->saved_serial = get_state (self, self->current)->serial;
  /* The next edit must not replace the saved state. */
  self->last_key = 0;
}

void
ls_history_forget_saved (LsHistory *self)
{
  g_return_if_fail (self != NULL);

  self->saved_serial = 0;
}

gboolean
ls_history_is_saved (LsHistory *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->states->len > 0 && get_state (self, self->current)->serial == self->saved_serial;
}

gsize
ls_history_get_n_states (LsHistory *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->states->len;
}
