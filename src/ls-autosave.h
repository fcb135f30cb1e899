/* ls-autosave.h: copies of unsaved documents, for recovery after a crash
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ls-network.h"

G_BEGIN_DECLS

/* One document's autosave: <id>.json holds the document, <id>.info its
 * original file and time, and <id>.lock stays locked with flock() while
 * the process that writes it runs, so that the kernel releases it when
 * the process ends in any way. */
typedef struct _LsAutosave LsAutosave;

/* An autosave left behind by a process that has ended. */
typedef struct
{
  char *id;            /* the file names' common part */
  char *directory;
  char *original_uri;  /* nullable: where Save wrote the document, NULL if never saved */
  char *name;          /* the document's name for display */
  gint64 time;         /* when it was written, in seconds since the Unix epoch */
} LsAutosaveEntry;

/* Returns the folder for autosaves: layerscope/autosave in
 * g_get_user_state_dir(). */
char            *ls_autosave_get_default_directory (void);

/* Creates the folder when missing and takes a new, locked id in it.
 * directory NULL means the default folder. */
LsAutosave      *ls_autosave_new          (const char       *directory,
                                           GError          **error);
/* Releases the lock but keeps the files, as a crash would: the next
 * start then offers to recover them. */
void             ls_autosave_free         (LsAutosave       *self);
/* Replaces the copy with data, atomically. original is where the
 * document belongs, or NULL, and name its name for display. */
gboolean         ls_autosave_write        (LsAutosave       *self,
                                           const char       *data,
                                           GFile            *original,
                                           const char       *name,
                                           GError          **error);
/* Deletes the copy, after a save or when the changes were discarded.
 * The lock stays, for the next write. */
gboolean         ls_autosave_remove       (LsAutosave       *self,
                                           GError          **error);
/* Returns TRUE once a copy is written and not yet removed. */
gboolean         ls_autosave_has_copy     (LsAutosave       *self);
const char      *ls_autosave_get_id       (LsAutosave       *self);

/* Lists the autosaves in directory (NULL for the default folder) whose
 * lock no process holds, newest first. A missing folder gives an empty
 * list. Returns a GPtrArray of LsAutosaveEntry. */
GPtrArray       *ls_autosave_find_stale   (const char       *directory,
                                           GError          **error);
/* Loads the entry's document. */
LsNetwork       *ls_autosave_entry_load   (const LsAutosaveEntry *entry,
                                           GError               **error);
/* Returns the original file of the entry, or NULL. */
GFile           *ls_autosave_entry_get_original (const LsAutosaveEntry *entry);
/* Deletes the entry's files. */
gboolean         ls_autosave_entry_delete (const LsAutosaveEntry *entry,
                                           GError               **error);
void             ls_autosave_entry_free   (LsAutosaveEntry  *entry);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LsAutosave, ls_autosave_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LsAutosaveEntry, ls_autosave_entry_free)

G_END_DECLS
