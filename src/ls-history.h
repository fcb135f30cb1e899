/* ls-history.h: undo and redo over whole-document states
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Changes to the same thing closer together than this, in microseconds,
 * form one undo step, so that a drag or a burst of typing is undone at
 * once. The gap is measured between the changes themselves, not between
 * the moments they are recorded. */
#define LS_HISTORY_COALESCE_USEC (600 * G_TIME_SPAN_MILLISECOND)

/* The default limits: the oldest states go first once either is reached. */
#define LS_HISTORY_DEFAULT_MAX_STATES 100
#define LS_HISTORY_DEFAULT_MAX_BYTES  ((gsize) 64 << 20)

typedef struct _LsHistory LsHistory;

/* Creates an empty history that keeps at most max_states states and at
 * most max_bytes of state text, always keeping the current state even
 * when it alone is larger. */
LsHistory  *ls_history_new          (gsize        max_states,
                                     gsize        max_bytes);
void        ls_history_free         (LsHistory   *self);

/* Forgets every state and starts over from state, a newly opened or
 * saved document, which counts as the saved state. */
void        ls_history_reset        (LsHistory   *self,
                                     const char  *state);
/* Records state as the result of an edit and drops the states that Redo
 * would have restored. The edit joins the previous one when both have
 * the same nonzero key and time_usec, a monotonic time, is less than
 * LS_HISTORY_COALESCE_USEC after the previous edit, unless the previous
 * state is the first or the saved one. A state equal to the current one
 * is not recorded. Returns TRUE when the history changed. */
gboolean    ls_history_record       (LsHistory   *self,
                                     const char  *state,
                                     guint        key,
                                     gint64       time_usec);
/* Records state like ls_history_record(), for an edit made of changes
 * from first_usec to last_usec, monotonic times taken when each change
 * happened. The edit joins the previous one when first_usec is less
 * than LS_HISTORY_COALESCE_USEC after the previous edit's last change,
 * however long after it the state is recorded. */
gboolean    ls_history_record_span  (LsHistory   *self,
                                     const char  *state,
                                     guint        key,
                                     gint64       first_usec,
                                     gint64       last_usec);
/* Steps back or forward and returns the state to show, owned by the
 * history, or NULL when there is nothing to undo or redo. */
const char *ls_history_undo         (LsHistory   *self);
const char *ls_history_redo         (LsHistory   *self);
gboolean    ls_history_can_undo     (LsHistory   *self);
gboolean    ls_history_can_redo     (LsHistory   *self);
/* The current state, or NULL before the first reset. */
const char *ls_history_get_current  (LsHistory   *self);
/* Marks the current state as the one on disk. */
void        ls_history_mark_saved   (LsHistory   *self);
/* Forgets which state was saved, as for a recovered document that
 * differs from every file. */
void        ls_history_forget_saved (LsHistory   *self);
/* Returns TRUE when the current state is the one last saved or reset. */
gboolean    ls_history_is_saved     (LsHistory   *self);
gsize       ls_history_get_n_states (LsHistory   *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LsHistory, ls_history_free)

G_END_DECLS
