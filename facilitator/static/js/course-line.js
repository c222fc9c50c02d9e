// Where this session stands in the course ("Session 5 of 8 · 3 left"), from the snapshot's
// `course`; the words come from the server (services/vocabulary.py COURSE_WORDS).
import { pageWords } from './ui.js';

/** The course line for `course` ({number, total, left}); '' when there is none. */
export function courseLine(course) {
  if (!course || !course.number) return '';
  const words = pageWords().course || {};
  let form = words.left;
  if (course.number === course.total) form = words.last;
  else if (course.number > course.total) form = words.after;
  return (form || '')
    .replace('{number}', String(course.number))
    .replace('{total}', String(course.total))
    .replace('{left}', String(course.left));
}

/** Write the course line into `node` (as text), hiding it when there is none. */
export function showCourseLine(node, course) {
  if (!node) return;
  const text = courseLine(course);
  node.textContent = text;
  node.hidden = !text;
}
