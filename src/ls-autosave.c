/* ls-autosave.c: copies of unsaved documents, for recovery after a crash
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope-autosave"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "ls-autosave.h"
#include "ls-document.h"

#define INFO_GROUP "Autosave"

struct _LsAutosave
{
  char *directory;
  char *id;
  int lock_fd;        /* holds the flock() on <id>.lock while this process runs */
  gboolean has_copy;
};

static char *
build_path (const char *directory,
            const char *id,
            const char *extension)
{
  g_autofree char *basename = g_strconcat (id, extension, NULL);

  return g_build_filename (directory, basename, NULL);
}

char *
ls_autosave_get_default_directory (void)
{
  return g_build_filename (g_get_user_state_dir (), "layerscope", "autosave", NULL);
}

static void
set_errno_error (GError     **error,
                 int          saved_errno,
                 const char  *format,
                 const char  *path)
{
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               format, path, g_strerror (saved_errno));
}

/* Opens and locks path without waiting. Returns the descriptor, or -1
 * with errno EWOULDBLOCK when another open file holds the lock. */
static int
open_locked (const char *path)
{
  int fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  int saved_errno;

  if (fd < 0)
    return -1;

  if (flock (fd, LOCK_EX | LOCK_NB) == 0)
    return fd;

  saved_errno = errno;
  close (fd);
  errno = saved_errno;

  return -1;
}

LsAutosave *
ls_autosave_new (const char  *directory,
                 GError     **error)
{
  g_autoptr(LsAutosave) self = g_new0 (LsAutosave, 1);
  g_autofree char *lock_path = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self->lock_fd = -1;
  self->directory = directory != NULL ? g_strdup (directory) : ls_autosave_get_default_directory ();
  if (g_mkdir_with_parents (self->directory, 0700) != 0)
    {
      set_errno_error (error, errno, _("Cannot create the autosave folder %s: %s"), self->directory);
      return NULL;
    }

  self->id = g_uuid_string_random ();
  lock_path = build_path (self->directory, self->id, ".lock");
  self->lock_fd = open_locked (lock_path);
  if (self->lock_fd < 0)
    {
      set_errno_error (error, errno, _("Cannot lock the autosave file %s: %s"), lock_path);
      return NULL;
    }

  return g_steal_pointer (&self);
}

void
ls_autosave_free (LsAutosave *self)
{
  if (self == NULL)
    return;

  /* Without a copy the lock file would only clutter the folder. */
  if (self->lock_fd >= 0 && !self->has_copy)
    {
      g_autofree char *lock_path = build_path (self->directory, self->id, ".lock");

      g_unlink (lock_path);
    }
  if (self->lock_fd >= 0)
    close (self->lock_fd);
  g_free (self->directory);
  g_free (self->id);
  g_free (self);
}

static char *
format_info (GFile      *original,
             const char *name)
{
  g_autoptr(GKeyFile) info = g_key_file_new ();

  if (original != NULL)
    {
      g_autofree char *uri = g_file_get_uri (original);

      g_key_file_set_string (info, INFO_GROUP, "Original", uri);
    }
  g_key_file_set_string (info, INFO_GROUP, "Name", name);
  g_key_file_set_int64 (info, INFO_GROUP, "Time", g_get_real_time () / G_USEC_PER_SEC);
  g_key_file_set_int64 (info, INFO_GROUP, "Pid", getpid ());

  return g_key_file_to_data (info, NULL, NULL);
}

gboolean
ls_autosave_write (LsAutosave  *self,
                   const char  *data,
                   GFile       *original,
                   const char  *name,
                   GError     **error)
{
  g_autofree char *data_path = NULL;
  g_autofree char *info_path = NULL;
  g_autofree char *info = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (data != NULL, FALSE);
  g_return_val_if_fail (original == NULL || G_IS_FILE (original), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* The document goes first: an info file always describes a copy. */
  data_path = build_path (self->directory, self->id, ".json");
  if (!g_file_set_contents_full (data_path, data, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error))
    return FALSE;
  self->has_copy = TRUE;

  info_path = build_path (self->directory, self->id, ".info");
  info = format_info (original, name);

  return g_file_set_contents_full (info_path, info, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

/* Deletes path, where a missing file counts as deleted. */
static gboolean
delete_file (const char  *path,
             GError     **error)
{
  if (g_unlink (path) == 0 || errno == ENOENT)
    return TRUE;

  set_errno_error (error, errno, _("Cannot delete the autosave file %s: %s"), path);

  return FALSE;
}

static gboolean
delete_copy (const char  *directory,
             const char  *id,
             GError     **error)
{
  g_autofree char *info_path = build_path (directory, id, ".info");
  g_autofree char *data_path = build_path (directory, id, ".json");

  /* The info goes first, so that a failure in between leaves no info
   * without its document. */
  return delete_file (info_path, error) && delete_file (data_path, error);
}

gboolean
ls_autosave_remove (LsAutosave  *self,
                    GError     **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!self->has_copy)
    return TRUE;

  if (!delete_copy (self->directory, self->id, error))
    return FALSE;
  self->has_copy = FALSE;

  return TRUE;
}

gboolean
ls_autosave_has_copy (LsAutosave *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->has_copy;
}

const char *
ls_autosave_get_id (LsAutosave *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->id;
}

/* Returns TRUE when no process holds the lock of id, which a missing
 * lock file also means. */
static gboolean
is_stale (const char *directory,
          const char *id)
{
  g_autofree char *lock_path = build_path (directory, id, ".lock");
  int fd;

  if (!g_file_test (lock_path, G_FILE_TEST_EXISTS))
    return TRUE;

  fd = open_locked (lock_path);
  if (fd < 0)
    return FALSE;

  close (fd);

  return TRUE;
}

/* Reads the entry of id. An info file that is missing or unreadable,
 * as after a crash between the two writes, gives the document's own
 * time and a generic name, so the copy is still offered. */
static LsAutosaveEntry *
read_entry (const char *directory,
            const char *id)
{
  g_autofree char *info_path = build_path (directory, id, ".info");
  g_autofree char *data_path = build_path (directory, id, ".json");
  g_autoptr(GKeyFile) info = g_key_file_new ();
  LsAutosaveEntry *entry = g_new0 (LsAutosaveEntry, 1);
  GStatBuf stat_buf;

  entry->id = g_strdup (id);
  entry->directory = g_strdup (directory);
  if (g_key_file_load_from_file (info, info_path, G_KEY_FILE_NONE, NULL))
    {
      entry->original_uri = g_key_file_get_string (info, INFO_GROUP, "Original", NULL);
      entry->name = g_key_file_get_string (info, INFO_GROUP, "Name", NULL);
      entry->time = g_key_file_get_int64 (info, INFO_GROUP, "Time", NULL);
    }
  if (entry->name == NULL)
    entry->name = g_strdup (_("Unsaved network"));
  if (entry->time == 0 && g_stat (data_path, &stat_buf) == 0)
    entry->time = stat_buf.st_mtime;

  return entry;
}

static int
compare_newest_first (gconstpointer a,
                      gconstpointer b)
{
  const LsAutosaveEntry *first = *(LsAutosaveEntry * const *) a;
  const LsAutosaveEntry *second = *(LsAutosaveEntry * const *) b;

  return (first->time < second->time) - (first->time > second->time);
}

GPtrArray *
ls_autosave_find_stale (const char  *directory,
                        GError     **error)
{
  g_autofree char *default_directory = NULL;
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) ls_autosave_entry_free);
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *basename;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (directory == NULL)
    directory = default_directory = ls_autosave_get_default_directory ();

  dir = g_dir_open (directory, 0, &local_error);
  if (dir == NULL)
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return g_steal_pointer (&entries);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  while ((basename = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *id = NULL;

      if (!g_str_has_suffix (basename, ".json"))
        continue;
      id = g_strndup (basename, strlen (basename) - strlen (".json"));
      if (is_stale (directory, id))
        g_ptr_array_add (entries, read_entry (directory, id));
    }
  g_ptr_array_sort (entries, compare_newest_first);

  return g_steal_pointer (&entries);
}

LsNetwork *
ls_autosave_entry_load (const LsAutosaveEntry  *entry,
                        GError                **error)
{
  g_autofree char *data_path = NULL;
  g_autofree char *data = NULL;
  gsize length;

  g_return_val_if_fail (entry != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Errors name the copy's full path, so that a user can find a damaged
   * copy and rescue its text by hand. GLib's read errors name it too. */
  data_path = build_path (entry->directory, entry->id, ".json");
  if (!g_file_get_contents (data_path, &data, &length, error))
    return NULL;

  return ls_document_load_data (data, length, data_path, error);
}

GFile *
ls_autosave_entry_get_original (const LsAutosaveEntry *entry)
{
  g_return_val_if_fail (entry != NULL, NULL);

  if (entry->original_uri == NULL)
    return NULL;

  return g_file_new_for_uri (entry->original_uri);
}

gboolean
ls_autosave_entry_delete (const LsAutosaveEntry  *entry,
                          GError                **error)
{
  g_autofree char *lock_path = NULL;

  g_return_val_if_fail (entry != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!delete_copy (entry->directory, entry->id, error))
    return FALSE;

  lock_path = build_path (entry->directory, entry->id, ".lock");

  return delete_file (lock_path, error);
}

void
ls_autosave_entry_free (LsAutosaveEntry *entry)
{
  if (entry == NULL)
    return;

  g_free (entry->id);
  g_free (entry->directory);
  g_free (entry->original_uri);
  g_free (entry->name);
  g_free (entry);
}
