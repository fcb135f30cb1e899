/* test-lesson.c: lesson files, the built-in lessons and their quizzes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "ls-document.h"
#include "ls-error.h"
#include "ls-lesson.h"
#include "ls-paths.h"

static LsNetwork *
load_example (const char *name)
{
  g_autofree char *file_name = g_strconcat (name, ".json", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = ls_paths_find_example (file_name, &error);
  LsNetwork *network;

  g_assert_no_error (error);
  network = ls_document_load_file (file, &error);
  g_assert_no_error (error);

  return network;
}

/* Walks every step of a built-in lesson with the example that the step
 * loads or keeps, as the lesson panel does, and checks the step's input
 * and highlights against that network. */
static void
check_builtin (const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LsLesson) lesson = ls_lesson_load_builtin (name, &error);
  g_autoptr(LsNetwork) network = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (lesson->title);
  g_assert_nonnull (lesson->summary);
  g_assert_cmpuint (lesson->steps->len, >, 0);

  for (guint i = 0; i < lesson->steps->len; i++)
    {
      const LsLessonStep *step = g_ptr_array_index (lesson->steps, i);

      if (step->example != NULL)
        {
          g_clear_object (&network);
          network = load_example (step->example);
        }
      g_assert_nonnull (network);  /* the first step of a built-in lesson names an example */
      ls_lesson_step_check (lesson, step, network, &error);
      g_assert_no_error (error);
      ls_lesson_step_apply_input (step, network, &error);
      g_assert_no_error (error);
    }
}

static void
test_builtin_parse (void)
{
  const char * const *names = ls_lesson_get_builtin_names ();

  g_assert_cmpuint (g_strv_length ((char **) names), >=, 6);
  for (gsize i = 0; names[i] != NULL; i++)
    {
      g_test_message ("lesson %s", names[i]);
      check_builtin (names[i]);
    }
}

/* The questions that the lessons must ask, in their English wording. */
static const char *required_questions[] = {
  "Why does a network need hidden layers?",
  "Why does a cat-or-dog classifier have two output neurons?",
};

static void
test_builtin_quiz (void)
{
  const char * const *names = ls_lesson_get_builtin_names ();
  gsize n_questions = 0;
  gsize n_required = 0;

  for (gsize i = 0; names[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(LsLesson) lesson = ls_lesson_load_builtin (names[i], &error);

      g_assert_no_error (error);
      n_questions += ls_lesson_count_questions (lesson);
      for (guint s = 0; s < lesson->steps->len; s++)
        {
          const LsLessonStep *step = g_ptr_array_index (lesson->steps, s);

          for (guint q = 0; q < step->questions->len; q++)
            {
              const LsQuizQuestion *question = g_ptr_array_index (step->questions, q);

              g_assert_cmpuint (question->choices->len, >=, 2);
              g_assert_cmpuint (question->choices->len, <=, 4);
              g_assert_cmpuint (question->correct, <, question->choices->len);
              g_assert_cmpstr (question->explanation, !=, "");
              for (gsize r = 0; r < G_N_ELEMENTS (required_questions); r++)
                n_required += g_str_equal (question->ask, required_questions[r]);
            }
        }
    }

  g_assert_cmpuint (n_questions, >=, 10);
  g_assert_cmpuint (n_required, ==, G_N_ELEMENTS (required_questions));
}

/* Appends the text between the quotes of a .pot line such as "abc". */
static void
append_quoted (GString    *string,
               const char *line)
{
  gsize length = strlen (line);

  g_assert_cmpuint (length, >=, 2);
  g_string_append_len (string, line + 1, length - 2);
}

/* Returns the msgids of a .pot file with their C escapes resolved. */
static GHashTable *
read_msgids (const char *pot_path)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  GHashTable *msgids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GString *msgid = NULL;  /* nullable: the message being read */

  g_assert_true (g_file_get_contents (pot_path, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", -1);
  for (gsize i = 0; lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (lines[i], "msgid \""))
        {
          msgid = g_string_new (NULL);
          append_quoted (msgid, lines[i] + strlen ("msgid "));
        }
      else if (msgid != NULL && lines[i][0] == '"')
        append_quoted (msgid, lines[i]);
      else if (msgid != NULL)
        {
          g_hash_table_add (msgids, g_strcompress (msgid->str));
          g_string_free (msgid, TRUE);
          msgid = NULL;
        }
    }

  return msgids;
}

static void
assert_msgid (GHashTable *msgids,
              const char *text)
{
  if (!g_hash_table_contains (msgids, text))
    g_test_message ("not a msgid of xgettext: %s", text);
  g_assert_true (g_hash_table_contains (msgids, text));
}

static void
assert_lesson_msgids (GHashTable     *msgids,
                      const LsLesson *lesson)
{
  assert_msgid (msgids, lesson->title);
  assert_msgid (msgids, lesson->summary);
  for (guint s = 0; s < lesson->steps->len; s++)
    {
      const LsLessonStep *step = g_ptr_array_index (lesson->steps, s);

      assert_msgid (msgids, step->title);
      for (guint p = 0; p < step->paragraphs->len; p++)
        assert_msgid (msgids, g_ptr_array_index (step->paragraphs, p));
      for (guint q = 0; q < step->questions->len; q++)
        {
          const LsQuizQuestion *question = g_ptr_array_index (step->questions, q);

          assert_msgid (msgids, question->ask);
          assert_msgid (msgids, question->explanation);
          for (guint c = 0; c < question->choices->len; c++)
            assert_msgid (msgids, g_ptr_array_index (question->choices, c));
        }
    }
}

/* Extracts the built-in lessons' messages with xgettext and the ITS rules
 * of po/its/, as the layerscope-pot target does, and checks that every
 * text the parser looks up is one of those msgids, with the same markup
 * escapes and white space. Otherwise the text would stay untranslated. */
static void
test_builtin_msgids (void)
{
  g_autofree char *xgettext = g_find_program_in_path ("xgettext");
  g_autofree char *po_dir = g_test_build_filename (G_TEST_DIST, "..", "po", NULL);
  const char * const *names = ls_lesson_get_builtin_names ();
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) lessons = g_ptr_array_new_with_free_func ((GDestroyNotify) ls_lesson_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) msgids = NULL;
  g_auto(GStrv) envp = NULL;
  g_autofree char *tmp_dir = NULL;
  g_autofree char *pot = NULL;
  int status;

  if (xgettext == NULL)
    {
      g_test_skip ("xgettext is not installed, so the lesson messages cannot be extracted");
      return;
    }

  tmp_dir = g_dir_make_tmp ("test-lesson-XXXXXX", &error);
  g_assert_no_error (error);
  pot = g_build_filename (tmp_dir, "lessons.pot", NULL);
  g_ptr_array_add (argv, g_strdup (xgettext));
  g_ptr_array_add (argv, g_strdup ("--from-code=UTF-8"));
  g_ptr_array_add (argv, g_strdup ("-o"));
  g_ptr_array_add (argv, g_strdup (pot));
  for (gsize i = 0; names[i] != NULL; i++)
    {
      g_autofree char *relative = g_strdup_printf ("lessons/%s.lesson", names[i]);
      g_autoptr(GFile) file = ls_paths_find_data (relative, &error);

      g_assert_no_error (error);
      g_ptr_array_add (argv, g_file_get_path (file));
      g_ptr_array_add (lessons, ls_lesson_load_file (file, FALSE, &error));
      g_assert_no_error (error);
    }
  g_ptr_array_add (argv, NULL);

  envp = g_environ_setenv (g_get_environ (), "GETTEXTDATADIRS", po_dir, TRUE);
  g_spawn_sync (NULL, (char **) argv->pdata, envp, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_spawn_check_wait_status (status, &error);
  g_assert_no_error (error);

  /* xgettext writes no file when it extracts nothing, which happens when
   * it does not find the ITS rules. */
  if (!g_file_test (pot, G_FILE_TEST_EXISTS))
    g_test_message ("xgettext extracted no messages: are the ITS rules in %s/its?", po_dir);
  g_assert_true (g_file_test (pot, G_FILE_TEST_EXISTS));
  msgids = read_msgids (pot);
  for (guint i = 0; i < lessons->len; i++)
    assert_lesson_msgids (msgids, g_ptr_array_index (lessons, i));

  g_remove (pot);
  g_rmdir (tmp_dir);
}

/* The cat-or-dog trace quotes the network's numbers. Its values come
 * from the example's weights: 0.5·0.4 + 0.8·0.5 + 0.2·0.1 = 0.62 for
 * hidden neuron 1 and softmax (1.484, −0.034) = (0.820, 0.180), worked by
 * hand and in Python. The test checks the engine agrees with the text. */
static void
test_trace_numbers (void)
{
  g_autoptr(LsNetwork) network = load_example ("cat-or-dog");
  const LsLayer *hidden = ls_network_get_layer (network, 0);
  const LsLayer *output = ls_network_get_layer (network, 1);
  const float expected_hidden[] = { 0.62f, 0.0f, 0.91f, 0.15f };

  for (gsize j = 0; j < G_N_ELEMENTS (expected_hidden); j++)
    g_assert_cmpfloat_with_epsilon (hidden->activation_output[j], expected_hidden[j], 1e-5);
  g_assert_cmpfloat_with_epsilon (output->pre_activation[0], 1.484, 1e-5);
  g_assert_cmpfloat_with_epsilon (output->pre_activation[1], -0.034, 1e-5);
  g_assert_cmpfloat_with_epsilon (output->activation_output[0], 0.8202, 1e-4);
}

static void
test_markup_and_space (void)
{
  const char *data =
    "<lesson><title>A  &amp;\n B</title><step><title>S</title>"
    "<p>One <b>two</b>\n   <i>three</i> 1 &lt; 2</p></step></lesson>";
  g_autoptr(GError) error = NULL;
  g_autoptr(LsLesson) lesson = ls_lesson_load_data (data, -1, "t.lesson", FALSE, &error);
  const LsLessonStep *step;

  g_assert_no_error (error);
  g_assert_cmpstr (lesson->title, ==, "A &amp; B");
  step = g_ptr_array_index (lesson->steps, 0);
  g_assert_cmpstr (g_ptr_array_index (step->paragraphs, 0), ==, "One <b>two</b> <i>three</i> 1 &lt; 2");
  g_assert_null (step->example);
  g_assert_cmpuint (step->highlights->len, ==, 0);
}

static void
test_highlights_parse (void)
{
  const char *data =
    "<lesson><title>T</title><step example=\"xor\"><title>S</title><p>P</p>"
    "<input values=\"1 0\"/>"
    "<highlight kind=\"unit\" column=\"1\" unit=\"3\"/>"
    "<highlight kind=\"edges\" column=\"2\"/>"
    "<highlight kind=\"bars\"/><highlight kind=\"parameters\"/></step></lesson>";
  g_autoptr(GError) error = NULL;
  g_autoptr(LsLesson) lesson = ls_lesson_load_data (data, -1, "t.lesson", FALSE, &error);
  const LsLessonStep *step;
  const LsHighlight *highlight;

  g_assert_no_error (error);
  step = g_ptr_array_index (lesson->steps, 0);
  g_assert_cmpstr (step->example, ==, "xor");
  g_assert_cmpuint (step->input->len, ==, 2);
  g_assert_cmpfloat (g_array_index (step->input, float, 0), ==, 1.0f);
  g_assert_cmpuint (step->highlights->len, ==, 2);
  highlight = &g_array_index (step->highlights, LsHighlight, 0);
  g_assert_cmpint (highlight->kind, ==, LS_HIGHLIGHT_UNIT);
  g_assert_cmpuint (highlight->column, ==, 1);
  g_assert_cmpuint (highlight->unit, ==, 3);
  g_assert_cmpint (g_array_index (step->highlights, LsHighlight, 1).kind, ==, LS_HIGHLIGHT_EDGES);
  g_assert_true (step->highlight_bars);
  g_assert_true (step->highlight_parameters);
}

/* Each case is a file with one mistake on a known line, and the parts
 * that its message must contain: the file name with that line, and the
 * rejected value. */
static const struct
{
  const char *data;
  const char *expected[2];
} bad_files[] = {
  { "<lesson><title>T</title>\n<step><title>S</title><p>P</p>\n<highlight kind=\"colum\" column=\"1\"/></step></lesson>",
    { "bad.lesson:3:", "“colum”" } },
  { "<lesson><title>T</title>\n<step><title>S</title><p>P</p>\n<highlight kind=\"unit\" column=\"x1\" unit=\"0\"/></step></lesson>",
    { "bad.lesson:3:", "“x1”" } },
  { "<lesson><title>T</title>\n\n<step example=\"../etc\"><title>S</title><p>P</p></step></lesson>",
    { "bad.lesson:3:", "“../etc”" } },
  { "<lesson><title>T</title>\n<step><title>S</title><p>P</p>\n<input values=\"0.5 abc\"/></step></lesson>",
    { "bad.lesson:3:", "“abc”" } },
  { "<lesson><title>T</title>\n<step><title>S</title><p>P</p>\n<question><ask>Q</ask><choice correct=\"maybe\">A</choice>"
    "<choice>B</choice><explanation>E</explanation></question></step></lesson>",
    { "bad.lesson:3:", "“maybe”" } },
  { "<lesson><title>T</title>\n<step><title>S</title><p>P</p>\n<question><ask>Q</ask><choice>A</choice>"
    "<choice>B</choice><explanation>E</explanation></question></step></lesson>",
    { "bad.lesson:3:", "this one has 0" } },
  { "<lesson><title>T</title>\n<step><title>S</title><p>P</p>\n<question><ask>Q</ask><choice correct=\"yes\">A</choice>"
    "<explanation>E</explanation></question></step></lesson>",
    { "bad.lesson:3:", "this one has 1" } },
  { "<lesson><title>T</title>\n<step><title>S</title>\n<para>P</para></step></lesson>",
    { "bad.lesson:3:", "<para>" } },
  { "<lesson><title>T</title>\n<step><title>S</title><p>P</p>\n<highlight kind=\"edges\" column=\"0\"/></step></lesson>",
    { "bad.lesson:3:", "“0”" } },
  { "<lesson><title>T</title>\n<step><title>S</title><p>P\n</step></lesson>",
    { "bad.lesson:3:", "“step” was closed" } },
};

static void
test_bad_files (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (bad_files); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(LsLesson) lesson = ls_lesson_load_data (bad_files[i].data, -1, "bad.lesson", FALSE, &error);

      g_test_message ("case %" G_GSIZE_FORMAT ": %s", i, error != NULL ? error->message : "(no error)");
      g_assert_null (lesson);
      g_assert_error (error, LS_ERROR, LS_ERROR_INVALID_DATA);
      for (gsize k = 0; k < G_N_ELEMENTS (bad_files[i].expected); k++)
        g_assert_nonnull (strstr (error->message, bad_files[i].expected[k]));
    }
}

/* Highlights and inputs that parse but do not fit the network. */
static void
test_check_network (void)
{
  const char *data =
    "<lesson><title>T</title>\n"
    "<step><title>S</title><p>P</p><highlight kind=\"column\" column=\"3\"/></step>\n"
    "<step><title>S</title><p>P</p><highlight kind=\"unit\" column=\"1\" unit=\"4\"/></step>\n"
    "<step><title>S</title><p>P</p><input values=\"1 2\"/></step>\n"
    "<step><title>S</title><p>P</p><input text=\"good\"/></step>\n"
    "<step><title>S</title><p>P</p><highlight kind=\"unit\" column=\"1\" unit=\"3\"/></step></lesson>";
  const char *expected[][2] = {
    { "t.lesson:2:", "column 3" },
    { "t.lesson:3:", "unit 4" },
    { "t.lesson:4:", "2 values" },
    { "t.lesson:5:", "text" },
  };
  g_autoptr(GError) parse_error = NULL;
  g_autoptr(LsLesson) lesson = ls_lesson_load_data (data, -1, "t.lesson", FALSE, &parse_error);
  g_autoptr(LsNetwork) network = load_example ("cat-or-dog");

  g_assert_no_error (parse_error);
  for (gsize i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (ls_lesson_step_check (lesson, g_ptr_array_index (lesson->steps, i), network, &error));
      g_assert_error (error, LS_ERROR, LS_ERROR_INVALID_DATA);
      g_assert_nonnull (strstr (error->message, expected[i][0]));
      g_assert_nonnull (strstr (error->message, expected[i][1]));
    }
  g_assert_true (ls_lesson_step_check (lesson, g_ptr_array_index (lesson->steps, 4), network, NULL));
}

/* A lesson is checked against the examples of its steps, and each
 * message names the line of the element at fault, not of its step. */
static void
test_check_examples (void)
{
  const struct
  {
    const char *body;
    const char *line;
    const char *value;
  } cases[] = {
    { "<step example=\"cat-or-dgo\">\n<title>S</title><p>P</p></step>", "t.lesson:3:", "“cat-or-dgo”; use " },
    { "<step example=\"cat-or-dog\">\n<title>S</title><p>P</p>\n\n<highlight kind=\"column\" column=\"9\"/></step>",
      "t.lesson:6:", "column 9" },
    { "<step example=\"cat-or-dog\"><title>S</title><p>P</p></step>\n<step><title>S</title><p>P</p>\n"
      "<highlight kind=\"unit\"\n column=\"2\" unit=\"2\"/></step>", "t.lesson:5:", "unit 2" },
    { "<step example=\"greater-than-five\"><title>S</title>\n<p>P</p>\n<input values=\"7 8\"/></step>",
      "t.lesson:5:", "2 values" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *data = g_strdup_printf ("<lesson>\n<title>L</title>\n%s</lesson>", cases[i].body);
      g_autoptr(GError) error = NULL;
      g_autoptr(LsLesson) lesson = ls_lesson_load_data (data, -1, "t.lesson", FALSE, &error);

      g_assert_no_error (error);
      g_assert_false (ls_lesson_check (lesson, &error));
      g_assert_error (error, LS_ERROR, LS_ERROR_INVALID_DATA);
      g_test_message ("%s", error->message);
      g_assert_true (g_str_has_prefix (error->message, cases[i].line));
      g_assert_nonnull (strstr (error->message, cases[i].value));
    }
}

/* The built-in lessons pass the check that a teacher's file must pass. */
static void
test_builtin_check (void)
{
  const char * const *names = ls_lesson_get_builtin_names ();

  for (gsize i = 0; names[i] != NULL; i++)
    {
      g_autofree char *relative = g_strdup_printf ("lessons/%s.lesson", names[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(GFile) file = ls_paths_find_data (relative, &error);
      g_autofree char *data = NULL;
      g_autoptr(LsLesson) lesson = NULL;

      g_assert_no_error (error);
      g_file_load_contents (file, NULL, &data, NULL, NULL, &error);
      g_assert_no_error (error);
      lesson = ls_lesson_load_data (data, -1, relative, FALSE, &error);
      g_assert_no_error (error);
      ls_lesson_check (lesson, &error);
      g_assert_no_error (error);
    }
}

/* A file in another encoding is rejected with a message in clean UTF-8
 * that names what to do. A UTF-8 byte order mark is allowed. */
static void
test_encoding (void)
{
  const char latin1[] = "<lesson>\n<title>Caf\xe9</title></lesson>";
  const char bom[] = "\xef\xbb\xbf<lesson><title>L</title><step><title>S</title><p>P</p></step></lesson>";
  g_autoptr(GError) error = NULL;
  g_autoptr(LsLesson) lesson = ls_lesson_load_data (latin1, -1, "t.lesson", FALSE, &error);
  g_autoptr(LsLesson) with_bom = NULL;

  g_assert_null (lesson);
  g_assert_error (error, LS_ERROR, LS_ERROR_INVALID_DATA);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_true (g_str_has_prefix (error->message, "t.lesson:2:"));
  g_assert_nonnull (strstr (error->message, "UTF-8"));
  g_clear_error (&error);

  with_bom = ls_lesson_load_data (bom, -1, "t.lesson", FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (with_bom->title, ==, "L");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/lesson/builtin-parse", test_builtin_parse);
  g_test_add_func ("/lesson/builtin-quiz", test_builtin_quiz);
  g_test_add_func ("/lesson/builtin-msgids", test_builtin_msgids);
  g_test_add_func ("/lesson/trace-numbers", test_trace_numbers);
  g_test_add_func ("/lesson/markup-and-space", test_markup_and_space);
  g_test_add_func ("/lesson/highlights-parse", test_highlights_parse);
  g_test_add_func ("/lesson/bad-files", test_bad_files);
  g_test_add_func ("/lesson/check-network", test_check_network);
  g_test_add_func ("/lesson/check-examples", test_check_examples);
  g_test_add_func ("/lesson/builtin-check", test_builtin_check);
  g_test_add_func ("/lesson/encoding", test_encoding);

  return g_test_run ();
}
