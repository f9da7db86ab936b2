/**
 * Plain, calm words for the common rules, in English: the staff's forms that
 * share the portal's validators. The portal's own are in validator.json.
 */
export const CALM_MESSAGES = {
  'required': 'Please fill this in.',
  'string': 'Please fill this in.',
  'email': 'Please enter an email address like name@example.com.',
  'maxLength': 'Please keep this to {{ max }} characters or fewer.',
  'minLength': 'Please use at least {{ min }} characters.',
  'enum': 'Please choose one of the options.',
  'number': 'Please choose one of the options.',
  'range': 'Please choose one of the options.',
  'withoutDecimals': 'Please choose one of the options.',
  'boolean': 'Please tick the box or leave it empty.',
}
