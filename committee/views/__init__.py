"""Views of the committee, split like committee/services: organisation (start page, terms, sub-committees,
volunteers), terms (the term's life), meetings (with decisions and mediation), petitions, registers, handover."""
