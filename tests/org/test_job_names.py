from django.utils.module_loading import import_string

from elections.services import papers
from residents.services import importing


def test_it_names_each_background_job_by_the_dotted_path_that_finds_its_function():
    assert import_string(importing.IMPORT_JOB) is importing.run_import_job
    assert import_string(papers.VOTER_LIST_JOB) is papers.voter_list_job
    assert import_string(papers.VOTER_CARDS_JOB) is papers.voter_cards_job
    assert import_string(papers.NUMBERED_BALLOTS_JOB) is papers.numbered_ballots_job
