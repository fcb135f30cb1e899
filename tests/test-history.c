/* test-history.c: undo and redo over whole-document states
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-history"

#include "ls-history.h"

#define KEY_VALUES 1
#define KEY_TITLE  2

/* A time far from every other one, so that no two edits coalesce. */
static gint64
time_of_edit (guint n)
{
  return (gint64) n * 10 * LS_HISTORY_COALESCE_USEC;
}

static void
test_history_undo_redo (void)
{
  g_autoptr(LsHistory) history = ls_history_new (10, 1 << 20);

  ls_history_reset (history, "a");
  g_assert_false (ls_history_can_undo (history));
  g_assert_false (ls_history_can_redo (history));
  g_assert_null (ls_history_undo (history));

  g_assert_true (ls_history_record (history, "b", KEY_VALUES, time_of_edit (1)));
  g_assert_true (ls_history_record (history, "c", KEY_VALUES, time_of_edit (2)));
  g_assert_cmpuint (ls_history_get_n_states (history), ==, 3);

  g_assert_cmpstr (ls_history_undo (history), ==, "b");
  g_assert_cmpstr (ls_history_undo (history), ==, "a");
  g_assert_null (ls_history_undo (history));
  g_assert_true (ls_history_can_redo (history));
  g_assert_cmpstr (ls_history_redo (history), ==, "b");
  g_assert_cmpstr (ls_history_redo (history), ==, "c");
  g_assert_null (ls_history_redo (history));
  g_assert_cmpstr (ls_history_get_current (history), ==, "c");
}

/* An edit after Undo starts a new branch, so Redo has nothing left. */
static void
test_history_edit_drops_redo (void)
{
  g_autoptr(LsHistory) history = ls_history_new (10, 1 << 20);

  ls_history_reset (history, "a");
  ls_history_record (history, "b", KEY_VALUES, time_of_edit (1));
  ls_history_record (history, "c", KEY_VALUES, time_of_edit (2));
  ls_history_undo (history);
  g_assert_true (ls_history_record (history, "d", KEY_VALUES, time_of_edit (3)));

  g_assert_false (ls_history_can_redo (history));
  g_assert_cmpuint (ls_history_get_n_states (history), ==, 3);
  g_assert_cmpstr (ls_history_undo (history), ==, "b");
}

/* A drag gives many edits of one kind within the coalescing interval:
 * one step. A different kind, or a pause, starts a new step. */
static void
test_history_coalesce (void)
{
  g_autoptr(LsHistory) history = ls_history_new (10, 1 << 20);
  gint64 start = time_of_edit (1);

  ls_history_reset (history, "a");
  ls_history_record (history, "b1", KEY_VALUES, start);
  ls_history_record (history, "b2", KEY_VALUES, start + LS_HISTORY_COALESCE_USEC / 2);
  ls_history_record (history, "b3", KEY_VALUES, start + LS_HISTORY_COALESCE_USEC);
  g_assert_cmpuint (ls_history_get_n_states (history), ==, 2);
  g_assert_cmpstr (ls_history_get_current (history), ==, "b3");

  ls_history_record (history, "c", KEY_TITLE, start + LS_HISTORY_COALESCE_USEC + 1);
  g_assert_cmpuint (ls_history_get_n_states (history), ==, 3);
  ls_history_record (history, "d", KEY_TITLE, start + 3 * LS_HISTORY_COALESCE_USEC);
  g_assert_cmpuint (ls_history_get_n_states (history), ==, 4);

  /* Key 0 never coalesces, as for the end of a training run. */
  ls_history_record (history, "e", 0, start + 3 * LS_HISTORY_COALESCE_USEC + 1);
  ls_history_record (history, "f", 0, start + 3 * LS_HISTORY_COALESCE_USEC + 2);
  g_assert_cmpuint (ls_history_get_n_states (history), ==, 6);

  g_assert_cmpstr (ls_history_undo (history), ==, "e");
  g_assert_cmpstr (ls_history_undo (history), ==, "d");
  g_assert_cmpstr (ls_history_undo (history), ==, "c");
  g_assert_cmpstr (ls_history_undo (history), ==, "b3");
  g_assert_cmpstr (ls_history_undo (history), ==, "a");
}

/* Keys typed 150 ms apart are one step even when a slow redraw records
 * each of them long after it was typed: the gap counts between the
 * changes, not between the records. Here the first key is recorded at
 * once, and the next two together 2 s later. */
static void
test_history_coalesce_change_times (void)
{
  g_autoptr(LsHistory) history = ls_history_new (10, 1 << 20);
  gint64 start = time_of_edit (1);
  gint64 key_gap = 150 * G_TIME_SPAN_MILLISECOND;

  ls_history_reset (history, "good");
  ls_history_record_span (history, "good s", KEY_VALUES, start, start);
  ls_history_record_span (history, "good so", KEY_VALUES, start + key_gap, start + 2 * key_gap);
  g_assert_cmpuint (ls_history_get_n_states (history), ==, 2);
  ls_history_record_span (history, "good so ", KEY_VALUES, start + 3 * key_gap, start + 3 * key_gap);
  g_assert_cmpuint (ls_history_get_n_states (history), ==, 2);

  /* A pause longer than the interval after the last change of an edit
   * starts a new step, however soon after its first change. */
  ls_history_record_span (history, "good so b", KEY_VALUES,
                          start + 3 * key_gap + LS_HISTORY_COALESCE_USEC, start + 4 * key_gap + LS_HISTORY_COALESCE_USEC);
  g_assert_cmpuint (ls_history_get_n_states (history), ==, 3);
  g_assert_cmpstr (ls_history_undo (history), ==, "good so ");
  g_assert_cmpstr (ls_history_undo (history), ==, "good");
}

/* Undo back to the saved state counts as unmodified, and an edit right
 * after a save does not replace the saved state. */
static void
test_history_saved_state (void)
{
  g_autoptr(LsHistory) history = ls_history_new (10, 1 << 20);

  ls_history_reset (history, "a");
  g_assert_true (ls_history_is_saved (history));
  ls_history_record (history, "b", KEY_VALUES, time_of_edit (1));
  g_assert_false (ls_history_is_saved (history));
  ls_history_undo (history);
  g_assert_true (ls_history_is_saved (history));
  ls_history_redo (history);

  ls_history_mark_saved (history);
  g_assert_true (ls_history_is_saved (history));
  ls_history_record (history, "c", KEY_VALUES, time_of_edit (1) + 1);
  g_assert_cmpuint (ls_history_get_n_states (history), ==, 3);
  g_assert_false (ls_history_is_saved (history));
  g_assert_cmpstr (ls_history_undo (history), ==, "b");
  g_assert_true (ls_history_is_saved (history));
  g_assert_cmpstr (ls_history_undo (history), ==, "a");
  g_assert_false (ls_history_is_saved (history));
}

/* A recovered document matches no file, so even its first state is not
 * the saved one. */
static void
test_history_forget_saved (void)
{
  g_autoptr(LsHistory) history = ls_history_new (10, 1 << 20);

  ls_history_reset (history, "a");
  ls_history_forget_saved (history);
  g_assert_false (ls_history_is_saved (history));
  ls_history_record (history, "b", KEY_VALUES, time_of_edit (1));
  ls_history_undo (history);
  g_assert_false (ls_history_is_saved (history));
  ls_history_mark_saved (history);
  g_assert_true (ls_history_is_saved (history));
}

/* Recording the current state again, as after a change that a later
 * change reverted, adds no step. */
static void
test_history_same_state (void)
{
  g_autoptr(LsHistory) history = ls_history_new (10, 1 << 20);

  ls_history_reset (history, "a");
  g_assert_false (ls_history_record (history, "a", KEY_VALUES, time_of_edit (1)));
  g_assert_false (ls_history_can_undo (history));
}

/* Over either limit the oldest states go; the saved state going with
 * them means no state counts as saved any more. */
static void
test_history_limits (void)
{
  g_autoptr(LsHistory) by_count = ls_history_new (3, 1 << 20);
  g_autoptr(LsHistory) by_size = ls_history_new (100, 10);

  ls_history_reset (by_count, "a");
  ls_history_record (by_count, "b", KEY_VALUES, time_of_edit (1));
  ls_history_record (by_count, "c", KEY_VALUES, time_of_edit (2));
  ls_history_record (by_count, "d", KEY_VALUES, time_of_edit (3));
  g_assert_cmpuint (ls_history_get_n_states (by_count), ==, 3);
  g_assert_cmpstr (ls_history_undo (by_count), ==, "c");
  g_assert_cmpstr (ls_history_undo (by_count), ==, "b");
  g_assert_null (ls_history_undo (by_count));
  g_assert_false (ls_history_is_saved (by_count));

  /* 4 + 4 + 4 bytes exceed 10, and a 12-byte state alone stays. */
  ls_history_reset (by_size, "aaaa");
  ls_history_record (by_size, "bbbb", KEY_VALUES, time_of_edit (1));
  ls_history_record (by_size, "cccc", KEY_VALUES, time_of_edit (2));
  g_assert_cmpuint (ls_history_get_n_states (by_size), ==, 2);
  ls_history_record (by_size, "dddddddddddd", KEY_VALUES, time_of_edit (3));
  g_assert_cmpuint (ls_history_get_n_states (by_size), ==, 1);
  g_assert_cmpstr (ls_history_get_current (by_size), ==, "dddddddddddd");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/history/undo-redo", test_history_undo_redo);
  g_test_add_func ("/history/edit-drops-redo", test_history_edit_drops_redo);
  g_test_add_func ("/history/coalesce", test_history_coalesce);
  g_test_add_func ("/history/coalesce-change-times", test_history_coalesce_change_times);
  g_test_add_func ("/history/saved-state", test_history_saved_state);
  g_test_add_func ("/history/forget-saved", test_history_forget_saved);
  g_test_add_func ("/history/same-state", test_history_same_state);
  g_test_add_func ("/history/limits", test_history_limits);

  return g_test_run ();
}
