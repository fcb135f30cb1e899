/* ls-lesson.c: lesson files, parsed with GMarkup
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <pango/pango.h>
#include <string.h>

#include "ls-document.h"
#include "ls-error.h"
#include "ls-lesson.h"
#include "ls-paths.h"

/* An example that every installation has, to find the examples folder. */
#define LS_LESSON_KNOWN_EXAMPLE "cat-or-dog.json"

/* The teaching order of data/lessons/<name>.lesson. */
static const char * const builtin_names[] = {
  "layers",
  "softmax",
  "trace",
  "parameters",
  "layer-kinds",
  "depth",
  "quiz",
  NULL,
};

typedef struct
{
  LsLesson *lesson;
  LsLessonStep *step;         /* nullable: the step being read */
  LsQuizQuestion *question;   /* nullable: the question being read */
  gsize n_correct;            /* choices marked correct in question */
  GString *text;              /* nullable: markup of the text element being read */
  gboolean translate;
  const char *data;           /* [length]: the lesson's text */
  gsize length;
  guint cursor_line;          /* line that starts at cursor_offset */
  gsize cursor_offset;        /* start of a line at or before the parser's position */
  guint question_line;        /* line of the question being read */
} ParseState;

static void
quiz_question_free (LsQuizQuestion *question)
{
  g_free (question->ask);
  g_ptr_array_unref (question->choices);
  g_free (question->explanation);
  g_free (question);
}

static void
lesson_step_free (LsLessonStep *step)
{
  g_free (step->title);
  g_ptr_array_unref (step->paragraphs);
  g_free (step->example);
  g_clear_pointer (&step->input, g_array_unref);
  g_free (step->text);
  g_array_unref (step->highlights);
  g_array_unref (step->highlight_lines);
  g_ptr_array_unref (step->questions);
  g_free (step);
}

void
ls_lesson_free (LsLesson *lesson)
{
  if (lesson == NULL)
    return;

  g_free (lesson->title);
  g_free (lesson->summary);
  g_ptr_array_unref (lesson->steps);
  g_free (lesson->source_name);
  g_free (lesson);
}

/* Returns the line on which the element that the parser just read starts.
 * GMarkup reports the place after the start tag, so this goes back to its
 * “<”, which an attribute value cannot contain. The cursor only moves
 * forward, so a large file is read once. */
static guint
get_element_line (GMarkupParseContext *context,
                  ParseState          *state)
{
  int line, column;
  gsize offset;
  guint element_line;

  g_markup_parse_context_get_position (context, &line, &column);
  while (state->cursor_line < (guint) line && state->cursor_offset < state->length)
    {
      if (state->data[state->cursor_offset++] == '\n')
        state->cursor_line++;
    }
  offset = state->cursor_offset;
  for (int i = 1; i < column && offset < state->length; i++)
    offset = g_utf8_next_char (state->data + offset) - state->data;

  element_line = state->cursor_line;
  while (offset > 0 && state->data[offset - 1] != '<')
    {
      offset--;
      if (state->data[offset] == '\n')
        element_line--;
    }

  return MAX (element_line, 1);
}

/* Sets an LS_ERROR_INVALID_DATA that starts with "file:line: ". */
static void G_GNUC_PRINTF (4, 5)
set_error_at (const ParseState *state,
              guint             line,
              GError          **error,
              const char       *format,
              ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, LS_ERROR, LS_ERROR_INVALID_DATA, "%s:%u: %s",
               state->lesson->source_name, line, message);
}

/* Sets an LS_ERROR_INVALID_DATA that starts with "file:line: ". */
static void G_GNUC_PRINTF (4, 5)
set_parse_error (GMarkupParseContext *context,
                 const ParseState    *state,
                 GError             **error,
                 const char          *format,
                 ...)
{
  g_autofree char *message = NULL;
  va_list args;
  int line;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_markup_parse_context_get_position (context, &line, NULL);
  g_set_error (error, LS_ERROR, LS_ERROR_INVALID_DATA, "%s:%d: %s",
               state->lesson->source_name, line, message);
}

/* Appends text with only &, < and > escaped, as xgettext writes the
 * messages of a paragraph that contains markup. */
static void
append_escaped (GString    *string,
                const char *text,
                gsize       length)
{
  for (gsize i = 0; i < length; i++)
    {
      switch (text[i])
        {
        case '&': g_string_append (string, "&amp;"); break;
        case '<': g_string_append (string, "&lt;"); break;
        case '>': g_string_append (string, "&gt;"); break;
        default: g_string_append_c (string, text[i]); break;
        }
    }
}

/* Collapses each run of white space to one space and trims the ends, as
 * xgettext does for the messages of an ITS rule, so the text is the
 * message's msgid. */
static char *
normalize_space (const char *text)
{
  GString *result = g_string_new (NULL);
  gboolean pending_space = FALSE;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (g_ascii_isspace (*p))
        {
          pending_space = result->len > 0;
          continue;
        }
      if (pending_space)
        g_string_append_c (result, ' ');
      pending_space = FALSE;
      g_string_append_c (result, *p);
    }

  return g_string_free (result, FALSE);
}

/* Returns the finished text element as Pango markup, translated when the
 * lesson is built in. A translation that is not valid markup is ignored. */
static char *
finish_text (ParseState *state)
{
  g_autofree char *text = normalize_space (state->text->str);
  const char *translated;

  g_string_free (state->text, TRUE);
  state->text = NULL;
  if (!state->translate || text[0] == '\0')
    return g_steal_pointer (&text);

  translated = g_dgettext (GETTEXT_PACKAGE, text);
  if (translated != text &&
      !pango_parse_markup (translated, -1, 0, NULL, NULL, NULL, NULL))
    {
      g_debug ("Ignoring a translation that is not valid markup: %s", translated);
      return g_steal_pointer (&text);
    }

  return g_strdup (translated);
}

static gboolean
parse_index (GMarkupParseContext *context,
             const ParseState    *state,
             const char          *name,
             const char          *value,
             guint64              max,
             gsize               *out,
             GError             **error)
{
  guint64 number;

  if (!g_ascii_string_to_unsigned (value, 10, 0, max, &number, NULL))
    {
      set_parse_error (context, state, error,
                       _("invalid %s “%s”; use a whole number from 0 to %u"),
                       name, value, (guint) max);
      return FALSE;
    }

  *out = number;

  return TRUE;
}

/* Reads the column, and the unit of a unit highlight, into highlight. */
static gboolean
parse_highlight_place (GMarkupParseContext *context,
                       ParseState          *state,
                       const char          *kind,
                       const char          *column,
                       const char          *unit,
                       LsHighlight         *highlight,
                       GError             **error)
{
  if (column == NULL)
    {
      set_parse_error (context, state, error, _("the %s highlight needs a column attribute"), kind);
      return FALSE;
    }
  if (!parse_index (context, state, "column", column, LS_MAX_LAYERS, &highlight->column, error))
    return FALSE;
  if (highlight->kind == LS_HIGHLIGHT_EDGES && highlight->column == 0)
    {
      set_parse_error (context, state, error,
                       _("invalid edges column “0”: no weights lead into the input; use column 1 or later"));
      return FALSE;
    }
  if (highlight->kind != LS_HIGHLIGHT_UNIT)
    return TRUE;

  if (unit == NULL)
    {
      set_parse_error (context, state, error, _("the unit highlight needs a unit attribute"));
      return FALSE;
    }

  return parse_index (context, state, "unit", unit, LS_MAX_TENSOR_SIZE - 1, &highlight->unit, error);
}

static gboolean
parse_highlight (GMarkupParseContext *context,
                 ParseState          *state,
                 const char         **names,
                 const char         **values,
                 GError             **error)
{
  const char *kind = NULL, *column = NULL, *unit = NULL;
  LsHighlight highlight = { LS_HIGHLIGHT_COLUMN, 0, 0 };
  guint line;

  if (!g_markup_collect_attributes ("highlight", names, values, error,
                                    G_MARKUP_COLLECT_STRING, "kind", &kind,
                                    G_MARKUP_COLLECT_STRING | G_MARKUP_COLLECT_OPTIONAL, "column", &column,
                                    G_MARKUP_COLLECT_STRING | G_MARKUP_COLLECT_OPTIONAL, "unit", &unit,
                                    G_MARKUP_COLLECT_INVALID))
    return FALSE;

  if (g_str_equal (kind, "bars") || g_str_equal (kind, "parameters") || g_str_equal (kind, "inputs"))
    {
      if (g_str_equal (kind, "bars"))
        state->step->highlight_bars = TRUE;
      else if (g_str_equal (kind, "parameters"))
        state->step->highlight_parameters = TRUE;
      else
        state->step->highlight_inputs = TRUE;
      return TRUE;
    }

  if (g_str_equal (kind, "unit"))
    highlight.kind = LS_HIGHLIGHT_UNIT;
  else if (g_str_equal (kind, "edges"))
    highlight.kind = LS_HIGHLIGHT_EDGES;
  else if (!g_str_equal (kind, "column"))
    {
      set_parse_error (context, state, error,
                       _("unknown highlight kind “%s”; use column, unit, edges, bars, parameters or inputs"),
                       kind);
      return FALSE;
    }

  if (!parse_highlight_place (context, state, kind, column, unit, &highlight, error))
    return FALSE;

  line = get_element_line (context, state);
  g_array_append_val (state->step->highlights, highlight);
  g_array_append_val (state->step->highlight_lines, line);

  return TRUE;
}

/* Reads the numbers of values="…", separated by spaces or commas. */
static gboolean
parse_input_values (GMarkupParseContext *context,
                    ParseState          *state,
                    const char          *numbers,
                    GError             **error)
{
  g_auto(GStrv) words = g_strsplit_set (numbers, " \t\n,", -1);

  state->step->input = g_array_new (FALSE, FALSE, sizeof (float));
  for (gsize i = 0; words[i] != NULL; i++)
    {
      char *end = NULL;
      double value;
      float number;

      if (words[i][0] == '\0')
        continue;
      value = g_ascii_strtod (words[i], &end);
      if (*end != '\0' || !isfinite (value) || fabs (value) > G_MAXFLOAT)
        {
          set_parse_error (context, state, error,
                           _("invalid input value “%s”; use decimal numbers separated by spaces"),
                           words[i]);
          return FALSE;
        }
      number = value;
      g_array_append_val (state->step->input, number);
    }

  return TRUE;
}

static gboolean
parse_input (GMarkupParseContext *context,
             ParseState          *state,
             const char         **names,
             const char         **values,
             GError             **error)
{
  const char *numbers = NULL, *text = NULL;

  if (!g_markup_collect_attributes ("input", names, values, error,
                                    G_MARKUP_COLLECT_STRING | G_MARKUP_COLLECT_OPTIONAL, "values", &numbers,
                                    G_MARKUP_COLLECT_STRING | G_MARKUP_COLLECT_OPTIONAL, "text", &text,
                                    G_MARKUP_COLLECT_INVALID))
    return FALSE;

  if ((numbers == NULL) == (text == NULL) || state->step->input != NULL || state->step->text != NULL)
    {
      set_parse_error (context, state, error,
                       _("a step takes one input element with either a values or a text attribute"));
      return FALSE;
    }
  state->step->input_line = get_element_line (context, state);
  if (text != NULL)
    {
      state->step->text = g_strdup (text);
      return TRUE;
    }

  return parse_input_values (context, state, numbers, error);
}

/* Accepts "none" or a name of lower-case letters, digits and hyphens, so
 * that a lesson can only name a file inside the examples folder. */
static gboolean
parse_example (GMarkupParseContext *context,
               ParseState          *state,
               const char          *example,
               GError             **error)
{
  if (example == NULL || g_str_equal (example, "none"))
    return TRUE;

  for (const char *p = example; *p != '\0'; p++)
    {
      if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '-')
        {
          set_parse_error (context, state, error,
                           _("invalid example name “%s”; use a name from the examples folder without “.json”, such as cat-or-dog, or none"),
                           example);
          return FALSE;
        }
    }
  if (example[0] == '\0')
    {
      set_parse_error (context, state, error, _("empty example name; use an example's name or none"));
      return FALSE;
    }

  state->step->example = g_strdup (example);

  return TRUE;
}

static gboolean
start_step (GMarkupParseContext *context,
            ParseState          *state,
            const char         **names,
            const char         **values,
            GError             **error)
{
  const char *example = NULL;
  LsLessonStep *step = g_new0 (LsLessonStep, 1);

  step->paragraphs = g_ptr_array_new_with_free_func (g_free);
  step->highlights = g_array_new (FALSE, FALSE, sizeof (LsHighlight));
  step->highlight_lines = g_array_new (FALSE, FALSE, sizeof (guint));
  step->questions = g_ptr_array_new_with_free_func ((GDestroyNotify) quiz_question_free);
  step->line = get_element_line (context, state);
  g_ptr_array_add (state->lesson->steps, step);
  state->step = step;

  if (!g_markup_collect_attributes ("step", names, values, error,
                                    G_MARKUP_COLLECT_STRING | G_MARKUP_COLLECT_OPTIONAL, "example", &example,
                                    G_MARKUP_COLLECT_INVALID))
    return FALSE;

  return parse_example (context, state, example, error);
}

static gboolean
start_choice (GMarkupParseContext *context,
              ParseState          *state,
              const char         **names,
              const char         **values,
              GError             **error)
{
  const char *correct = NULL;

  if (!g_markup_collect_attributes ("choice", names, values, error,
                                    G_MARKUP_COLLECT_STRING | G_MARKUP_COLLECT_OPTIONAL, "correct", &correct,
                                    G_MARKUP_COLLECT_INVALID))
    return FALSE;

  if (correct != NULL && !g_str_equal (correct, "yes"))
    {
      set_parse_error (context, state, error,
                       _("invalid correct value “%s”; write correct=\"yes\" on the right choice only"),
                       correct);
      return FALSE;
    }
  if (correct != NULL)
    {
      state->question->correct = state->question->choices->len;
      state->n_correct++;
    }

  return TRUE;
}

/* The element each element must be directly inside. */
static const struct
{
  const char *element;
  const char *parent;  /* NULL for the root */
} element_parents[] = {
  { "lesson", NULL },
  { "summary", "lesson" },
  { "step", "lesson" },
  { "p", "step" },
  { "input", "step" },
  { "highlight", "step" },
  { "question", "step" },
  { "ask", "question" },
  { "choice", "question" },
  { "explanation", "question" },
};

static gboolean
check_parent (GMarkupParseContext *context,
              ParseState          *state,
              const char          *element,
              GError             **error)
{
  const GSList *stack = g_markup_parse_context_get_element_stack (context);
  const char *parent = stack->next != NULL ? stack->next->data : NULL;

  if (g_str_equal (element, "title"))
    {
      if (g_strcmp0 (parent, "lesson") == 0 || g_strcmp0 (parent, "step") == 0)
        return TRUE;
    }
  else if (g_str_equal (element, "b") || g_str_equal (element, "i"))
    {
      if (state->text != NULL && !g_str_equal (parent, "title") && !g_str_equal (parent, "summary"))
        return TRUE;
    }
  else
    {
      for (gsize i = 0; i < G_N_ELEMENTS (element_parents); i++)
        if (g_str_equal (element, element_parents[i].element))
          {
            if (g_strcmp0 (parent, element_parents[i].parent) == 0)
              return TRUE;
            break;
          }
    }

  if (parent == NULL)
    set_parse_error (context, state, error, _("the file starts with <%s>; a lesson starts with <lesson>"), element);
  else
    set_parse_error (context, state, error,
                     _("unexpected element <%s> inside <%s>; docs/LESSONS.md lists where each element goes"),
                     element, parent);
  return FALSE;
}

static gboolean
is_text_element (const char *element)
{
  const char *text_elements[] = { "title", "summary", "p", "ask", "choice", "explanation" };

  for (gsize i = 0; i < G_N_ELEMENTS (text_elements); i++)
    if (g_str_equal (element, text_elements[i]))
      return TRUE;

  return FALSE;
}

static void
start_element_cb (GMarkupParseContext *context,
                  const char          *element,
                  const char         **names,
                  const char         **values,
                  gpointer             user_data,
                  GError             **error)
{
  ParseState *state = user_data;

  if (!check_parent (context, state, element, error))
    return;

  if (g_str_equal (element, "b") || g_str_equal (element, "i"))
    g_string_append_printf (state->text, "<%s>", element);
  else if (is_text_element (element))
    state->text = g_string_new (NULL);
  else if (g_str_equal (element, "step"))
    start_step (context, state, names, values, error);
  else if (g_str_equal (element, "input"))
    parse_input (context, state, names, values, error);
  else if (g_str_equal (element, "highlight"))
    parse_highlight (context, state, names, values, error);
  else if (g_str_equal (element, "question"))
    {
      state->question = g_new0 (LsQuizQuestion, 1);
      state->question->choices = g_ptr_array_new_with_free_func (g_free);
      state->n_correct = 0;
      state->question_line = get_element_line (context, state);
      g_ptr_array_add (state->step->questions, state->question);
    }

  if (g_str_equal (element, "choice"))
    start_choice (context, state, names, values, error);
  else if ((*error == NULL) && !g_str_equal (element, "step") && !g_str_equal (element, "input") &&
           !g_str_equal (element, "highlight"))
    g_markup_collect_attributes (element, names, values, error, G_MARKUP_COLLECT_INVALID, NULL, NULL);

  if (*error != NULL && (*error)->domain == G_MARKUP_ERROR)
    {
      int line;

      g_markup_parse_context_get_position (context, &line, NULL);
      g_prefix_error (error, "%s:%d: ", state->lesson->source_name, line);
    }
}

/* Stores a finished title, which each lesson and step has once. */
static void
store_title (GMarkupParseContext *context,
             ParseState          *state,
             char                *text,
             GError             **error)
{
  char **title = state->step != NULL ? &state->step->title : &state->lesson->title;

  if (*title != NULL)
    {
      set_parse_error (context, state, error, _("a second title “%s”; give each lesson and step one title"), text);
      g_free (text);
      return;
    }

  *title = text;
}

static void
finish_question (GMarkupParseContext *context,
                 ParseState          *state,
                 GError             **error)
{
  LsQuizQuestion *question = state->question;

  state->question = NULL;
  if (question->ask == NULL || question->explanation == NULL)
    set_error_at (state, state->question_line, error, _("a question needs an ask and an explanation element"));
  else if (question->choices->len < LS_LESSON_MIN_CHOICES || question->choices->len > LS_LESSON_MAX_CHOICES)
    set_error_at (state, state->question_line, error, _("a question needs 2 to 4 choices, but this one has %u"),
                  question->choices->len);
  else if (state->n_correct != 1)
    set_error_at (state, state->question_line, error,
                  _("a question needs exactly one choice marked correct=\"yes\", but this one has %u"),
                  (guint) state->n_correct);
}

static void
store_text (GMarkupParseContext *context,
            ParseState          *state,
            const char          *element,
            GError             **error)
{
  char *text = finish_text (state);

  if (text[0] == '\0')
    {
      set_parse_error (context, state, error, _("the element <%s> is empty; write its text or remove it"), element);
      g_free (text);
    }
  else if (g_str_equal (element, "title"))
    store_title (context, state, text, error);
  else if (g_str_equal (element, "summary") && state->lesson->summary == NULL)
    state->lesson->summary = text;
  else if (g_str_equal (element, "p"))
    g_ptr_array_add (state->step->paragraphs, text);
  else if (g_str_equal (element, "ask") && state->question->ask == NULL)
    state->question->ask = text;
  else if (g_str_equal (element, "choice"))
    g_ptr_array_add (state->question->choices, text);
  else if (g_str_equal (element, "explanation") && state->question->explanation == NULL)
    state->question->explanation = text;
  else
    {
      set_parse_error (context, state, error, _("a second <%s> element; write it once"), element);
      g_free (text);
    }
}

static void
end_element_cb (GMarkupParseContext *context,
                const char          *element,
                gpointer             user_data,
                GError             **error)
{
  ParseState *state = user_data;

  if (g_str_equal (element, "b") || g_str_equal (element, "i"))
    g_string_append_printf (state->text, "</%s>", element);
  else if (is_text_element (element))
    store_text (context, state, element, error);
  else if (g_str_equal (element, "question"))
    finish_question (context, state, error);
  else if (g_str_equal (element, "step"))
    {
      if (state->step->title == NULL || state->step->paragraphs->len == 0)
        set_parse_error (context, state, error, _("a step needs a title and at least one <p> paragraph"));
      state->step = NULL;
    }
  else if (g_str_equal (element, "lesson"))
    {
      if (state->lesson->title == NULL || state->lesson->steps->len == 0)
        set_parse_error (context, state, error, _("a lesson needs a title and at least one step"));
    }
}

static void
text_cb (GMarkupParseContext *context,
         const char          *text,
         gsize                length,
         gpointer             user_data,
         GError             **error)
{
  ParseState *state = user_data;
  g_autofree char *excerpt = NULL;

  if (state->text != NULL)
    {
      append_escaped (state->text, text, length);
      return;
    }

  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isspace (text[i]))
      {
        excerpt = g_strstrip (g_strndup (text, MIN (length, 40)));
        set_parse_error (context, state, error, _("unexpected text “%s”; put text inside a <p> or another text element"),
                         excerpt);
        return;
      }
}

/* Rewrites GLib's "Error on line 38 char 24: Element … was closed" as
 * "name:38: Element … was closed", the form of the other messages. GLib
 * translates its prefix, so this keeps what follows its first ": ". */
static void
restate_syntax_error (GMarkupParseContext *context,
                      const char          *source_name,
                      GError              *error)
{
  const char *detail = strstr (error->message, ": ");
  char *message;
  int line;

  g_markup_parse_context_get_position (context, &line, NULL);
  message = g_strdup_printf ("%s:%d: %s", source_name, line, detail != NULL ? detail + 2 : error->message);
  g_free (error->message);
  error->message = message;
}

static guint
count_lines (const char *data,
             gsize       length)
{
  guint lines = 0;

  for (gsize i = 0; i < length; i++)
    lines += data[i] == '\n';

  return lines;
}

static const GMarkupParser lesson_parser = {
  start_element_cb,
  end_element_cb,
  text_cb,
  NULL,
  NULL,
};

LsLesson *
ls_lesson_load_data (const char  *data,
                     gssize       length,
                     const char  *source_name,
                     gboolean     translate,
                     GError     **error)
{
  g_autoptr(LsLesson) lesson = g_new0 (LsLesson, 1);
  g_autoptr(GMarkupParseContext) context = NULL;
  ParseState state = { lesson, NULL, NULL, 0, NULL, translate, data, 0, 1, 0, 0 };
  const char *invalid;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (source_name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  lesson->source_name = g_strdup (source_name);
  lesson->steps = g_ptr_array_new_with_free_func ((GDestroyNotify) lesson_step_free);
  state.length = length >= 0 ? (gsize) length : strlen (data);
  if (!g_utf8_validate_len (data, state.length, &invalid))
    {
      state.cursor_line += count_lines (data, invalid - data);
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_DATA,
                   _("%s:%u: the file is not UTF-8 text; save it as UTF-8"), source_name, state.cursor_line);
      return NULL;
    }
  /* A byte order mark is allowed before UTF-8 text. */
  if (g_str_has_prefix (data, "\xef\xbb\xbf"))
    {
      state.data += 3;
      state.length -= 3;
    }
  context = g_markup_parse_context_new (&lesson_parser, 0, &state, NULL);

  if (!g_markup_parse_context_parse (context, state.data, state.length, error) ||
      !g_markup_parse_context_end_parse (context, error))
    {
      if (state.text != NULL)
        g_string_free (state.text, TRUE);
      if (error != NULL && (*error)->domain != LS_ERROR)
        {
          (*error)->domain = LS_ERROR;
          (*error)->code = LS_ERROR_INVALID_DATA;
          if (!g_str_has_prefix ((*error)->message, source_name))
            restate_syntax_error (context, source_name, *error);
        }
      return NULL;
    }

  return g_steal_pointer (&lesson);
}

LsLesson *
ls_lesson_load_file (GFile     *file,
                     gboolean   translate,
                     GError   **error)
{
  g_autofree char *name = NULL;
  g_autofree char *data = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(LsLesson) lesson = NULL;
  gsize length;

  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  name = g_file_get_basename (file);
  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE, NULL, error);
  if (info == NULL)
    {
      g_prefix_error (error, "%s: ", name);
      return NULL;
    }
  if (g_file_info_get_size (info) > LS_LESSON_MAX_FILE_SIZE)
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_DATA,
                   _("%s: the file has %llu bytes, over the limit of %u bytes for a lesson; split it into smaller lessons"),
                   name, (unsigned long long) g_file_info_get_size (info), LS_LESSON_MAX_FILE_SIZE);
      return NULL;
    }
  if (!g_file_load_contents (file, NULL, &data, &length, NULL, error))
    {
      g_prefix_error (error, "%s: ", name);
      return NULL;
    }

  lesson = ls_lesson_load_data (data, length, name, translate, error);
  if (lesson == NULL || !ls_lesson_check (lesson, error))
    return NULL;

  return g_steal_pointer (&lesson);
}

const char * const *
ls_lesson_get_builtin_names (void)
{
  return builtin_names;
}

LsLesson *
ls_lesson_load_builtin (const char  *name,
                        GError     **error)
{
  g_autofree char *relative = NULL;
  g_autoptr(GFile) file = NULL;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  relative = g_strdup_printf ("lessons/%s.lesson", name);
  file = ls_paths_find_data (relative, error);
  if (file == NULL)
    return NULL;

  return ls_lesson_load_file (file, TRUE, error);
}

gsize
ls_lesson_count_questions (const LsLesson *lesson)
{
  gsize count = 0;

  g_return_val_if_fail (lesson != NULL, 0);

  for (guint i = 0; i < lesson->steps->len; i++)
    count += ((LsLessonStep *) g_ptr_array_index (lesson->steps, i))->questions->len;

  return count;
}

/* Returns the number of values in a diagram column: column 0 is the
 * input, a token per value for a text network, and column k is layer k − 1. */
static gsize
get_column_size (LsNetwork *network,
                 gsize      column)
{
  if (column == 0)
    return ls_network_has_token_input (network) ? ls_network_get_n_tokens (network)
                                                : ls_network_get_input_size (network);

  return ls_shape_get_size (&ls_network_get_layer (network, column - 1)->output_shape);
}

static gboolean
check_input (const LsLesson     *lesson,
             const LsLessonStep *step,
             LsNetwork          *network,
             GError            **error)
{
  gboolean tokens = ls_network_has_token_input (network);

  if ((step->text != NULL && !tokens) || (step->input != NULL && tokens))
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_DATA,
                   _("%s:%u: the input is %s, but the network reads %s; use <input %s=…>"),
                   lesson->source_name, step->input_line, tokens ? _("numbers") : _("text"),
                   tokens ? _("text") : _("numbers"), tokens ? "text" : "values");
      return FALSE;
    }
  if (step->input != NULL && step->input->len != ls_network_get_input_size (network))
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_DATA,
                   _("%s:%u: the input has %u values, but the network takes %u; give one value per input"),
                   lesson->source_name, step->input_line, step->input->len,
                   (guint) ls_network_get_input_size (network));
      return FALSE;
    }

  return TRUE;
}

static gboolean
check_highlight (const LsLesson    *lesson,
                 const LsHighlight *highlight,
                 guint              line,
                 LsNetwork         *network,
                 GError           **error)
{
  gsize n_columns = ls_network_get_n_layers (network) + 1;

  if (highlight->column >= n_columns)
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_DATA,
                   _("%s:%u: invalid highlight column %u; the network has columns 0 to %u"),
                   lesson->source_name, line, (guint) highlight->column, (guint) (n_columns - 1));
      return FALSE;
    }
  if (highlight->kind == LS_HIGHLIGHT_UNIT && highlight->unit >= get_column_size (network, highlight->column))
    {
      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_DATA,
                   _("%s:%u: invalid highlight unit %u; column %u has units 0 to %u"),
                   lesson->source_name, line, (guint) highlight->unit, (guint) highlight->column,
                   (guint) (get_column_size (network, highlight->column) - 1));
      return FALSE;
    }

  return TRUE;
}

gboolean
ls_lesson_step_check (const LsLesson     *lesson,
                      const LsLessonStep *step,
                      LsNetwork          *network,
                      GError            **error)
{
  g_return_val_if_fail (lesson != NULL, FALSE);
  g_return_val_if_fail (step != NULL, FALSE);
  g_return_val_if_fail (LS_IS_NETWORK (network), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_input (lesson, step, network, error))
    return FALSE;

  for (guint i = 0; i < step->highlights->len; i++)
    if (!check_highlight (lesson, &g_array_index (step->highlights, LsHighlight, i),
                          g_array_index (step->highlight_lines, guint, i), network, error))
      return FALSE;

  return TRUE;
}

static gint
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* Returns the names of the examples beside the file of a built-in
 * example, such as "cat-or-dog, greater-than-five", sorted. */
static char *
list_example_names (void)
{
  g_autoptr(GFile) known = ls_paths_find_example (LS_LESSON_KNOWN_EXAMPLE, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) dir = NULL;
  g_autofree char *folder = NULL;
  const char *name;

  if (known != NULL)
    {
      folder = g_path_get_dirname (g_file_peek_path (known));
      dir = g_dir_open (folder, 0, NULL);
    }
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".json"))
      g_ptr_array_add (names, g_strndup (name, strlen (name) - strlen (".json")));
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);

  return g_strjoinv (", ", (char **) names->pdata);
}

/* Loads the example that a step names, for checking its steps. */
static LsNetwork *
load_step_example (const LsLesson     *lesson,
                   const LsLessonStep *step,
                   GError            **error)
{
  g_autofree char *file_name = g_strconcat (step->example, ".json", NULL);
  g_autoptr(GFile) file = ls_paths_find_example (file_name, NULL);
  g_autoptr(GError) local_error = NULL;
  LsNetwork *network;

  if (file == NULL)
    {
      g_autofree char *names = list_example_names ();

      g_set_error (error, LS_ERROR, LS_ERROR_INVALID_DATA, _("%s:%u: unknown example “%s”; use %s"),
                   lesson->source_name, step->line, step->example, names);
      return NULL;
    }
  network = ls_document_load_file (file, &local_error);
  if (network == NULL)
    g_set_error (error, LS_ERROR, LS_ERROR_INVALID_DATA, _("%s:%u: the example “%s” does not load: %s"),
                 lesson->source_name, step->line, step->example, local_error->message);

  return network;
}

gboolean
ls_lesson_check (const LsLesson  *lesson,
                 GError         **error)
{
  /* of char * → LsNetwork *: each example loads once, however many steps name it */
  g_autoptr(GHashTable) examples = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  LsNetwork *network = NULL;

  g_return_val_if_fail (lesson != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  for (guint i = 0; i < lesson->steps->len; i++)
    {
      const LsLessonStep *step = g_ptr_array_index (lesson->steps, i);

      if (step->example != NULL)
        {
          network = g_hash_table_lookup (examples, step->example);
          if (network == NULL)
            network = load_step_example (lesson, step, error);
          if (network == NULL)
            return FALSE;
          if (!g_hash_table_contains (examples, step->example))
            g_hash_table_insert (examples, g_strdup (step->example), network);
        }
      if (network != NULL && !ls_lesson_step_check (lesson, step, network, error))
        return FALSE;
    }

  return TRUE;
}

gboolean
ls_lesson_step_apply_input (const LsLessonStep *step,
                            LsNetwork          *network,
                            GError            **error)
{
  g_return_val_if_fail (step != NULL, FALSE);
  g_return_val_if_fail (LS_IS_NETWORK (network), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (step->text != NULL)
    return ls_network_set_text (network, step->text, error);
  if (step->input != NULL)
    return ls_network_set_input (network, (const float *) step->input->data, step->input->len, error);

  return TRUE;
}
