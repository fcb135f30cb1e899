/* test-autosave.c: copies of unsaved documents and their recovery
 *
 * XDG_STATE_HOME points at a temporary folder, emptied before each test,
 * so the default folder is empty at the start and no real autosave is
 * touched. (G_TEST_OPTION_ISOLATE_DIRS would do the same, but GLib 2.74
 * leaks the folder names it replaces, which fails the sanitizer build.)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-autosave"

#include <glib/gstdio.h>

#include "ls-autosave.h"
#include "ls-document.h"
#include "ls-engine.h"

static char *
new_document (float weight)
{
  g_autoptr(LsNetwork) network = ls_network_new (1);
  gsize length;

  g_assert_true (ls_network_insert_dense (network, 0, 1, LS_ACTIVATION_SIGMOID, NULL));
  g_assert_true (ls_network_set_weight (network, 0, 0, 0, weight, NULL));

  return ls_document_to_data (network, &length);
}

static GPtrArray *
find_stale (void)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *entries = ls_autosave_find_stale (NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (entries);

  return entries;
}

/* The folder is the documented one under the user's state folder. */
static void
test_autosave_location (void)
{
  g_autofree char *directory = ls_autosave_get_default_directory ();
  g_autofree char *expected = g_build_filename (g_get_user_state_dir (), "layerscope", "autosave", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(LsAutosave) autosave = ls_autosave_new (NULL, &error);
  g_autofree char *data = new_document (0.5f);
  g_autofree char *data_path = NULL;
  g_autofree char *basename = NULL;

  g_assert_cmpstr (directory, ==, expected);
  g_assert_no_error (error);
  g_assert_true (ls_autosave_write (autosave, data, NULL, "network.json", &error));
  g_assert_no_error (error);

  basename = g_strconcat (ls_autosave_get_id (autosave), ".json", NULL);
  data_path = g_build_filename (directory, basename, NULL);
  g_assert_true (g_file_test (data_path, G_FILE_TEST_IS_REGULAR));
}

/* A copy whose writer still runs, that is holds the lock, is no
 * candidate for recovery. */
static void
test_autosave_live_not_stale (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LsAutosave) autosave = ls_autosave_new (NULL, &error);
  g_autofree char *data = new_document (0.5f);
  g_autoptr(GPtrArray) entries = NULL;

  g_assert_true (ls_autosave_write (autosave, data, NULL, "network.json", &error));
  entries = find_stale ();

  g_assert_cmpuint (entries->len, ==, 0);
}

/* After the writer ends without removing its copy, as in a crash, the
 * copy is found with its name and original file, and loads back. */
static void
test_autosave_recover (void)
{
  g_autoptr(GError) error = NULL;
  LsAutosave *autosave = ls_autosave_new (NULL, &error);
  g_autofree char *data = new_document (0.75f);
  g_autoptr(GFile) original = g_file_new_for_path ("/nonexistent/cat.json");
  g_autoptr(GFile) found_original = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(LsNetwork) network = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  LsAutosaveEntry *entry;

  g_assert_true (ls_autosave_write (autosave, data, original, "cat.json", &error));
  g_assert_no_error (error);
  ls_autosave_free (autosave);

  entries = find_stale ();
  g_assert_cmpuint (entries->len, ==, 1);
  entry = g_ptr_array_index (entries, 0);
  g_assert_cmpstr (entry->name, ==, "cat.json");
  g_assert_cmpint (entry->time, >=, now - 60);
  g_assert_cmpint (entry->time, <=, now + 60);
  found_original = ls_autosave_entry_get_original (entry);
  g_assert_true (g_file_equal (found_original, original));

  network = ls_autosave_entry_load (entry, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (ls_layer_get_weight (ls_network_get_layer (network, 0), 0, 0), ==, 0.75f);
}

/* A later write replaces the copy instead of adding one. */
static void
test_autosave_rewrite (void)
{
  g_autoptr(GError) error = NULL;
  LsAutosave *autosave = ls_autosave_new (NULL, &error);
  g_autofree char *first = new_document (0.25f);
  g_autofree char *second = new_document (-2.0f);
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(LsNetwork) network = NULL;

  g_assert_true (ls_autosave_write (autosave, first, NULL, "a", &error));
  g_assert_true (ls_autosave_write (autosave, second, NULL, "b", &error));
  ls_autosave_free (autosave);

  entries = find_stale ();
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_cmpstr (((LsAutosaveEntry *) g_ptr_array_index (entries, 0))->name, ==, "b");
  network = ls_autosave_entry_load (g_ptr_array_index (entries, 0), &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (ls_layer_get_weight (ls_network_get_layer (network, 0), 0, 0), ==, -2.0f);
}

/* Removing the copy, as a save or a discard does, leaves nothing to
 * recover, and so does deleting a recovered entry. */
static void
test_autosave_delete (void)
{
  g_autoptr(GError) error = NULL;
  LsAutosave *saved = ls_autosave_new (NULL, &error);
  LsAutosave *crashed = ls_autosave_new (NULL, &error);
  g_autofree char *data = new_document (0.5f);
  g_autofree char *directory = ls_autosave_get_default_directory ();
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GDir) dir = NULL;

  g_assert_true (ls_autosave_write (saved, data, NULL, "saved", &error));
  g_assert_true (ls_autosave_has_copy (saved));
  g_assert_true (ls_autosave_remove (saved, &error));
  g_assert_false (ls_autosave_has_copy (saved));
  ls_autosave_free (saved);
  g_assert_true (ls_autosave_write (crashed, data, NULL, "crashed", &error));
  ls_autosave_free (crashed);

  entries = find_stale ();
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_cmpstr (((LsAutosaveEntry *) g_ptr_array_index (entries, 0))->name, ==, "crashed");
  g_assert_true (ls_autosave_entry_delete (g_ptr_array_index (entries, 0), &error));
  g_assert_no_error (error);

  after = find_stale ();
  g_assert_cmpuint (after->len, ==, 0);
  dir = g_dir_open (directory, 0, &error);
  g_assert_no_error (error);
  g_assert_null (g_dir_read_name (dir));
}

/* Without the autosave folder there is nothing to recover, and no
 * error. */
static void
test_autosave_missing_folder (void)
{
  g_autoptr(GPtrArray) entries = find_stale ();

  g_assert_cmpuint (entries->len, ==, 0);
}

/* A copy whose info file is missing, as after a crash between the two
 * writes, is still offered, with a generic name and the file's time. */
static void
test_autosave_missing_info (void)
{
  g_autoptr(GError) error = NULL;
  LsAutosave *autosave = ls_autosave_new (NULL, &error);
  g_autofree char *data = new_document (0.5f);
  g_autofree char *directory = ls_autosave_get_default_directory ();
  g_autofree char *info_name = NULL;
  g_autofree char *info_path = NULL;
  g_autoptr(GPtrArray) entries = NULL;

  g_assert_true (ls_autosave_write (autosave, data, NULL, "named", &error));
  info_name = g_strconcat (ls_autosave_get_id (autosave), ".info", NULL);
  info_path = g_build_filename (directory, info_name, NULL);
  g_assert_cmpint (g_unlink (info_path), ==, 0);
  ls_autosave_free (autosave);

  entries = find_stale ();
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_cmpstr (((LsAutosaveEntry *) g_ptr_array_index (entries, 0))->name, !=, "named");
  g_assert_cmpint (((LsAutosaveEntry *) g_ptr_array_index (entries, 0))->time, >, 0);
}

/* Removes path and everything in it, if it exists. */
static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    {
      g_remove (path);
      return;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      remove_tree (child);
    }
  g_rmdir (path);
}

/* Runs one test in an empty state folder. */
static void
run_isolated (gconstpointer data)
{
  GTestFunc test = (GTestFunc) data;
  g_autofree char *ours = g_build_filename (g_get_user_state_dir (), "layerscope", NULL);

  remove_tree (ours);
  test ();
}

static void
add_test (const char *path,
          GTestFunc   test)
{
  g_test_add_data_func (path, (gconstpointer) test, run_isolated);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *state_dir = g_dir_make_tmp ("layerscope-test-autosave-XXXXXX", NULL);
  int status;

  g_assert_nonnull (state_dir);
  g_setenv ("XDG_STATE_HOME", state_dir, TRUE);
  g_test_init (&argc, &argv, NULL);

  add_test ("/autosave/location", test_autosave_location);
  add_test ("/autosave/live-not-stale", test_autosave_live_not_stale);
  add_test ("/autosave/recover", test_autosave_recover);
  add_test ("/autosave/rewrite", test_autosave_rewrite);
  add_test ("/autosave/delete", test_autosave_delete);
  add_test ("/autosave/missing-folder", test_autosave_missing_folder);
  add_test ("/autosave/missing-info", test_autosave_missing_info);

  status = g_test_run ();
  remove_tree (state_dir);

  return status;
}
