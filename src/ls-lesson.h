/* ls-lesson.h: lessons that walk through example networks, with quizzes
 *
 * A lesson is an XML file that docs/LESSONS.md specifies. Parsing needs
 * GLib only, so the tests and the command line can read lessons without
 * a display.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ls-network.h"
#include "ls-render.h"

G_BEGIN_DECLS

/* The largest lesson file that the loader reads, 1 MiB. */
#define LS_LESSON_MAX_FILE_SIZE (1u << 20)
#define LS_LESSON_MIN_CHOICES 2
#define LS_LESSON_MAX_CHOICES 4

typedef struct
{
  char *ask;          /* Pango markup */
  GPtrArray *choices; /* of char *, Pango markup, [2..4] */
  gsize correct;      /* index of the correct choice */
  char *explanation;  /* Pango markup, shown after any answer */
} LsQuizQuestion;

typedef struct
{
  char *title;           /* Pango markup */
  GPtrArray *paragraphs; /* of char *, Pango markup */
  char *example;         /* nullable: example name without ".json", NULL keeps the network */
  GArray *input;         /* nullable: of float, [input size]: values to set */
  char *text;            /* nullable: text to set for a token input */
  GArray *highlights;    /* of LsHighlight: diagram parts to emphasise */
  GArray *highlight_lines;        /* of guint, [highlights]: line of each highlight element */
  gboolean highlight_bars;        /* emphasise the output bars */
  gboolean highlight_parameters;  /* emphasise the parameter count */
  gboolean highlight_inputs;      /* emphasise the input controls */
  GPtrArray *questions;  /* of LsQuizQuestion * */
  guint line;            /* line of the step element, for messages */
  guint input_line;      /* line of the input element, 0 without one */
} LsLessonStep;

typedef struct
{
  char *title;       /* Pango markup */
  char *summary;     /* Pango markup */
  GPtrArray *steps;  /* of LsLessonStep *, at least one */
  char *source_name; /* file name that messages start with */
} LsLesson;

/* Parses a lesson. With translate, every text is looked up with
 * g_dgettext (GETTEXT_PACKAGE, …), as for the built-in lessons. Without
 * it, as for a teacher's own file, the text is shown as written. Errors
 * are LS_ERROR_INVALID_DATA with the source name, the line and the
 * rejected value, e.g. "my.lesson:12: unknown highlight kind “colum”…".
 * This checks the structure only. ls_lesson_step_check() checks whether
 * a step's input and highlights fit its example, and ls_lesson_check()
 * does so for every step. */
LsLesson   *ls_lesson_load_data      (const char    *data,
                                      gssize         length,
                                      const char    *source_name,
                                      gboolean       translate,
                                      GError       **error);
/* As ls_lesson_load_data() for a UTF-8 file of at most
 * LS_LESSON_MAX_FILE_SIZE bytes, followed by ls_lesson_check(), so a
 * lesson that loads fits its examples. A file that cannot be read gives
 * G_IO_ERROR. */
LsLesson   *ls_lesson_load_file      (GFile         *file,
                                      gboolean       translate,
                                      GError       **error);
void        ls_lesson_free           (LsLesson      *lesson);

/* The names of the built-in lessons in their teaching order, such as
 * "layers"; NULL-terminated. */
const char * const *ls_lesson_get_builtin_names (void);
/* Loads data/lessons/<name>.lesson, translated. */
LsLesson   *ls_lesson_load_builtin   (const char    *name,
                                      GError       **error);

/* Counts the quiz questions of every step. */
gsize       ls_lesson_count_questions (const LsLesson *lesson);

/* Loads the example of each step from the examples folder, as the
 * window does, and checks every step with ls_lesson_step_check(). Steps
 * before the first example are not checked: they keep the user's network.
 * An unknown example gives its step's line and the names to use. */
gboolean    ls_lesson_check          (const LsLesson     *lesson,
                                      GError            **error);
/* Checks that the step's input and highlights fit network, and names
 * the line of the element and the value that does not fit. */
gboolean    ls_lesson_step_check     (const LsLesson     *lesson,
                                      const LsLessonStep *step,
                                      LsNetwork          *network,
                                      GError            **error);
/* Sets the step's input values or text on network, if it has any. */
gboolean    ls_lesson_step_apply_input (const LsLessonStep *step,
                                        LsNetwork          *network,
                                        GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LsLesson, ls_lesson_free)

G_END_DECLS
