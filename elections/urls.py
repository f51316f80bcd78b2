from django.urls import path

from . import views
from .views import byelection as by_views
from .views import counting as counting_views
from .views import disputed as disputed_views
from .views import entry as entry_views
from .views import nominations as nomination_views
from .views import papers as paper_views
from .views import roll as roll_views
from .views import setup as setup_views

app_name = "elections"
urlpatterns = [
    path("", views.index, name="index"),
    path("by-elections/", by_views.by_elections, name="by_elections"),
    path("by-elections/new/", by_views.by_election_new, name="by_election_new"),
    path("<int:pk>/by-election/seat/", by_views.by_election_seat, name="by_election_seat"),
    # Elections I: setup, roll, proxies, nominations, papers.
    path("<int:pk>/", setup_views.detail, name="detail"),
    path("<int:pk>/seats/", setup_views.seats, name="seats"),
    path("<int:pk>/details/", setup_views.details, name="details"),
    path("<int:pk>/committee/", setup_views.add_member, name="add_member"),
    path("<int:pk>/committee/withdraw/", setup_views.withdraw_member, name="withdraw_member"),
    path("<int:pk>/workers/", setup_views.add_worker, name="add_worker"),
    path("<int:pk>/stage/", setup_views.stage, name="stage"),
    path("<int:pk>/roll/", roll_views.roll, name="roll"),
    path("<int:pk>/roll/build/", roll_views.build, name="roll_build"),
    path("<int:pk>/roll/post/", roll_views.post, name="roll_post"),
    path("<int:pk>/roll/delegates/", roll_views.delegate, name="delegate"),
    path("<int:pk>/roll/objections/", roll_views.objection, name="objection"),
    path("<int:pk>/roll/objections/<int:objection_pk>/", roll_views.decide, name="decide"),
    path("<int:pk>/proxies/", roll_views.proxies, name="proxies"),
    path("<int:pk>/proxies/add/", roll_views.add_proxy, name="add_proxy"),
    path("<int:pk>/nominations/", nomination_views.nominations, name="nominations"),
    path("<int:pk>/nominations/forms/", nomination_views.record_forms, name="nomination_forms"),
    path("<int:pk>/nominations/add/", nomination_views.add_nomination, name="add_nomination"),
    path("<int:pk>/nominations/rank/", nomination_views.rank, name="rank"),
    path("<int:pk>/candidates/", nomination_views.candidates, name="candidates"),
    path("<int:pk>/candidates/<int:candidate_pk>/review/", nomination_views.review, name="review"),
    path("<int:pk>/candidates/choose/", nomination_views.choose, name="choose"),
    path("<int:pk>/candidates/post/", nomination_views.post, name="candidates_post"),
    path("<int:pk>/papers/", paper_views.papers, name="papers"),
    path("<int:pk>/papers/<slug:kind>.pdf", paper_views.notice, name="notice"),
    path("<int:pk>/papers/<slug:kind>/issue/", paper_views.issue, name="issue_paper"),
    path("<int:pk>/voters.pdf", paper_views.voters_pdf, name="voters_pdf"),
    path("<int:pk>/voter-cards.pdf", paper_views.voter_cards_pdf, name="voter_cards_pdf"),
    path("<int:pk>/ballot.pdf", paper_views.ballot_pdf, name="ballot_pdf"),
    path("<int:pk>/nomination-form.pdf", paper_views.nomination_form_pdf, name="nomination_form_pdf"),
    path("<int:pk>/proxy-cards.pdf", paper_views.proxy_cards_pdf, name="proxy_cards_pdf"),
    path("<int:pk>/papers/ballot/", paper_views.ballot_paper, name="ballot_paper"),
    path("<int:pk>/ballots.pdf", paper_views.numbered_ballots, name="numbered_ballots"),
    path("<int:pk>/nominations/report.pdf", paper_views.nomination_report_pdf, name="nomination_report_pdf"),
    path("<int:pk>/certificates.pdf", paper_views.certificates_pdf, name="certificates_pdf"),
    path("<int:pk>/certificates/issue/", paper_views.issue_certificates, name="issue_certificates"),
    # Elections II: polling day, counting, result, handover.
    path("<int:pk>/boxes/", counting_views.boxes, name="boxes"),
    path("<int:pk>/boxes/issue/", counting_views.issue, name="issue"),
    path("<int:pk>/boxes/stage/", counting_views.stage, name="counting_stage"),
    path("<int:pk>/boxes/upload/", counting_views.upload_ballots, name="upload_ballots"),
    path("<int:pk>/boxes/ballots/<slug:step>/", counting_views.ballots_act, name="ballots_act"),
    path("<int:pk>/boxes/<int:box_pk>/entry/<int:pass_number>/", entry_views.entry, name="entry"),
    path("<int:pk>/boxes/<int:box_pk>/compare/", entry_views.compare, name="compare"),
    path("<int:pk>/board/", entry_views.board_open, name="board_open"),
    path("board/<str:token>/", entry_views.board, name="board"),
    path("board/<str:token>/counts/", entry_views.board_counts, name="board_counts"),
    path("<int:pk>/boxes/<int:box_pk>/sheet/", counting_views.sheet, name="sheet"),
    path("<int:pk>/boxes/<int:box_pk>/sheet/<slug:step>/", counting_views.sheet_act, name="sheet_act"),
    path("<int:pk>/entered/<int:paper_pk>/", entry_views.paper, name="paper"),
    path("<int:pk>/result/", counting_views.result, name="result"),
    path("<int:pk>/result/<slug:step>/", counting_views.result_act, name="result_act"),
    path("<int:pk>/result.pdf", counting_views.result_pdf, name="result_pdf"),
    path("<int:pk>/winners.pdf", counting_views.winners_pdf, name="winners_pdf"),
    # Disputed ballots (疑难选票): the election committee's decisions and the 认定表.
    path("<int:pk>/disputed/", disputed_views.disputed, name="disputed"),
    path("<int:pk>/disputed.pdf", disputed_views.disputed_pdf, name="disputed_pdf"),
]
